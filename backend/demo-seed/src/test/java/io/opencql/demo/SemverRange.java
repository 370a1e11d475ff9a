package io.opencql.demo;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The subset of npm semver ranges plugin.json's {@code grafanaDependency} uses: comparators ({@code >=}, {@code >},
 * {@code <=}, {@code <}, {@code =}), caret and tilde ranges, bare versions, space-separated (and) and
 * {@code ||}-separated (or). Anything else fails loudly rather than passing by accident.
 */
final class SemverRange {

    private static final Pattern COMPARATOR =
            Pattern.compile("(>=|<=|>|<|=|\\^|~)?v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:-[0-9A-Za-z.-]+)?");

    private SemverRange() {}

    static boolean satisfies(String range, String version) {
        int[] v = parse(version);
        for (String alternative : range.split("\\|\\|")) {
            boolean all = true;
            String trimmed = alternative.strip();
            if (trimmed.isEmpty()) {
                throw new IllegalArgumentException("empty alternative in range '" + range + "'");
            }
            for (String comparator : trimmed.split("\\s+")) {
                all &= matches(comparator, v, range);
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String comparator, int[] v, String range) {
        Matcher m = COMPARATOR.matcher(comparator);
        if (!m.matches()) {
            throw new IllegalArgumentException("unsupported comparator '" + comparator + "' in range '" + range + "'");
        }
        String op = m.group(1) == null ? "=" : m.group(1);
        int major = Integer.parseInt(m.group(2));
        int minor = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        int patch = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
        int[] b = {major, minor, patch};
        int c = compare(v, b);
        return switch (op) {
            case ">=" -> c >= 0;
            case ">" -> c > 0;
            case "<=" -> c <= 0;
            case "<" -> c < 0;
            case "^" -> c >= 0 && compare(v, major > 0 ? new int[] {major + 1, 0, 0}
                    : new int[] {0, minor + 1, 0}) < 0;
            case "~" -> c >= 0 && compare(v, new int[] {major, minor + 1, 0}) < 0;
            default -> m.group(3) == null ? v[0] == major
                    : m.group(4) == null ? v[0] == major && v[1] == minor : c == 0;
        };
    }

    static int[] parse(String version) {
        Matcher m = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+)(?:[-+].*)?").matcher(version);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a x.y.z version: '" + version + "'");
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
    }

    private static int compare(int[] a, int[] b) {
        for (int i = 0; i < 3; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return 0;
    }
}
