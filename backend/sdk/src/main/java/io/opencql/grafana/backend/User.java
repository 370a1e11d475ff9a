package io.opencql.grafana.backend;

/** The Grafana user a request is made for; absent for alerting and other background requests. */
public record User(String login, String name, String email, String role) {
}
