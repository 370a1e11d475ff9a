package io.opencql.grafana.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Map;

/**
 * The subset of Grafana's FieldConfig a data source sets; every key optional and omitted when null.
 * {@code enumText} is written as {@code "type":{"enum":{"text":[...]}}}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldConfig(
        String displayName,
        String displayNameFromDS,
        String description,
        String unit,
        Integer decimals,
        @JsonSerialize(using = FiniteDoubleSerializer.class) Double min,
        @JsonSerialize(using = FiniteDoubleSerializer.class) Double max,
        @JsonSerialize(using = FiniteDoubleSerializer.class) Double interval,
        Boolean filterable,
        String noValue,
        @JsonProperty("type") Map<String, Map<String, List<String>>> typeConfig,
        JsonNode custom) {

    public static final FieldConfig EMPTY = new FieldConfig(null, null, null, null, null, null, null, null, null, null, null, null);

    public static FieldConfig enumText(List<String> text) {
        return EMPTY.withEnumText(text);
    }

    public FieldConfig withDisplayNameFromDS(String name) {
        return new FieldConfig(displayName, name, description, unit, decimals, min, max, interval, filterable, noValue, typeConfig, custom);
    }

    public FieldConfig withDisplayName(String name) {
        return new FieldConfig(name, displayNameFromDS, description, unit, decimals, min, max, interval, filterable, noValue, typeConfig, custom);
    }

    public FieldConfig withUnit(String u) {
        return new FieldConfig(displayName, displayNameFromDS, description, u, decimals, min, max, interval, filterable, noValue, typeConfig, custom);
    }

    public FieldConfig withInterval(Double ms) {
        return new FieldConfig(displayName, displayNameFromDS, description, unit, decimals, min, max, ms, filterable, noValue, typeConfig, custom);
    }

    public FieldConfig withEnumText(List<String> text) {
        return new FieldConfig(displayName, displayNameFromDS, description, unit, decimals, min, max, interval, filterable, noValue,
                Map.of("enum", Map.of("text", List.copyOf(text))), custom);
    }
}
