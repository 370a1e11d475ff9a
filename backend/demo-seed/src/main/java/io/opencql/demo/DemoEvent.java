package io.opencql.demo;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One row of {@code demo.events}, the annotation source.
 *
 * @param timeEnd end of a region annotation, or {@code null} for a point in time (the column is left unset)
 * @param tags    comma-separated tags
 */
public record DemoEvent(LocalDate day, Instant time, Instant timeEnd, String site, String text, String tags) {}
