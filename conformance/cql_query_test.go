package conformance

import (
	"fmt"
	"math"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// itSeriesCQL reads both sensors of conformance_it.readings over the time range: partition by partition, so
// the rows arrive sorted per sensor only, and the plugin has to merge and sort them.
const itSeriesCQL = "SELECT ts, sensor, site, value, load FROM conformance_it.readings " +
	"WHERE sensor IN ('a', 'b') AND day IN ($__timeBuckets(day)) AND $__timeFilter(ts)"

// checkAlertReady checks what Grafana's alerting and server-side expressions need of a time-series answer
// (reference 3.8): one wide frame by the SDK's own TimeSeriesSchema, meta.type timeseries-wide, the time field
// first, non-null and ascending, every other field float64 with labels (unique label sets), none on the time
// field. It returns the value fields by "column{labels}".
func checkAlertReady(t *testing.T, f *data.Frame) map[string]*data.Field {
	t.Helper()
	schema := f.TimeSeriesSchema()
	if schema.Type != data.TimeSeriesTypeWide {
		t.Errorf("TimeSeriesSchema type %v, want wide (fields %v); alerting rejects it", schema.Type, fieldNames(f))
	}
	if f.Meta == nil || f.Meta.Type != data.FrameTypeTimeSeriesWide {
		t.Errorf("meta.type %v, want %q", f.Meta, data.FrameTypeTimeSeriesWide)
	} else {
		t.Logf("meta.type %s typeVersion %v", f.Meta.Type, f.Meta.TypeVersion)
	}
	if len(f.Fields) < 2 {
		t.Fatalf("fields %v: want a time field and at least one value field", fieldNames(f))
	}
	tf := f.Fields[0]
	if tf.Type() != data.FieldTypeTime && tf.Type() != data.FieldTypeNullableTime {
		t.Fatalf("first field %s is %s, want the time field first", tf.Name, tf.Type().ItemTypeString())
	}
	if len(tf.Labels) != 0 {
		t.Errorf("time field has labels %v; labels belong on the value fields", tf.Labels)
	}
	var prev time.Time
	for i := 0; i < tf.Len(); i++ {
		v, ok := tf.ConcreteAt(i)
		if !ok {
			t.Errorf("time field row %d is null", i)
			continue
		}
		ts := v.(time.Time)
		if i > 0 && !ts.After(prev) {
			t.Errorf("time field row %d: %v not after row %d's %v (want sorted, unique)", i, ts, i-1, prev)
		}
		prev = ts
	}
	series := map[string]*data.Field{}
	for _, fl := range f.Fields[1:] {
		if fl.Type() != data.FieldTypeFloat64 && fl.Type() != data.FieldTypeNullableFloat64 {
			t.Errorf("value field %s%v is %s, want float64", fl.Name, fl.Labels, fl.Type().ItemTypeString())
		}
		key := seriesKey(fl.Name, fl.Labels)
		if _, dup := series[key]; dup {
			t.Errorf("two value fields %s: label sets must be unique", key)
		}
		series[key] = fl
	}
	return series
}

// seriesKey names a value field as Prometheus would: column{label=value, …}.
func seriesKey(name string, labels data.Labels) string {
	return name + "{" + labels.String() + "}"
}

// floatAt is a value field's cell as *float64 (nil for null).
func floatAt(fl *data.Field, i int) *float64 {
	v, ok := fl.ConcreteAt(i)
	if !ok {
		return nil
	}
	x := v.(float64)
	return &x
}

// TestCQLTimeSeriesWide: format time_series turns two sensors' rows into one wide frame Grafana alerting
// accepts: the union of their timestamps sorted, value and load as float64 per sensor with labels sensor and
// site (text columns), missing cells per fill mode, display names from the alias template.
func TestCQLTimeSeriesWide(t *testing.T) {
	s := requireITSchema(t)
	model := func(fill string, extra map[string]any) map[string]any {
		m := map[string]any{"cql": itSeriesCQL, "format": "time_series", "fill": fill}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	qs := []query{
		cqlQuery("null", model("null", map[string]any{"alias": "{{sensor}} {{column}}"})),
		cqlQuery("previous", model("previous", nil)),
		cqlQuery("value", model("value", map[string]any{"fillValue": -1})),
		cqlQuery("none", model("none", nil)),
	}
	for i := range qs {
		qs[i].From, qs[i].To = itFrom, itTo
	}
	res, raw := queryData(t, s, qs...)

	// Expected: rows of itReadings inside the range, both ends included.
	var times []time.Time
	seen := map[time.Time]bool{}
	cells := map[string]map[time.Time]float64{} // "value{sensor=a, site=north}" -> time -> value
	for _, r := range itReadings {
		if r.ts.Before(itFrom) || r.ts.After(itTo) {
			continue
		}
		if !seen[r.ts] {
			seen[r.ts] = true
			times = append(times, r.ts)
		}
		labels := data.Labels{"sensor": r.sensor, "site": r.site}
		for col, v := range map[string]float64{"value": r.value, "load": float64(r.load)} {
			key := seriesKey(col, labels)
			if cells[key] == nil {
				cells[key] = map[time.Time]float64{}
			}
			cells[key][r.ts] = v
		}
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })

	for _, q := range qs {
		t.Run(q.RefID, func(t *testing.T) {
			f := okFrame(t, res, raw, q.RefID)
			series := checkAlertReady(t, f)
			if got := executedQuery(f); strings.Contains(got, "$__") || !strings.Contains(got, fmt.Sprint(itFrom.UnixMilli())) {
				t.Errorf("executedQueryString %q: want the macros expanded", got)
			}
			if n := rowCount(t, f); n != len(times) {
				t.Fatalf("%d rows, want %d (one per distinct timestamp in range: %v)", n, len(times), times)
			}
			for i, want := range times {
				if msg := compareValue(want, f.Fields[0].At(i)); msg != "" {
					t.Errorf("time row %d: %s", i, msg)
				}
			}
			if !reflect.DeepEqual(sortedKeys(series), sortedKeys(cells)) {
				t.Fatalf("value fields %v, want %v (numeric columns per label set of the text columns)", sortedKeys(series), sortedKeys(cells))
			}
			for key, fl := range series {
				var last *float64
				for i, ts := range times {
					got := floatAt(fl, i)
					want, has := cells[key][ts]
					var wantP *float64
					switch {
					case has:
						wantP = &want
					case q.RefID == "null":
						wantP = nil
					case q.RefID == "previous":
						wantP = last
					case q.RefID == "value":
						m1 := -1.0
						wantP = &m1
					case q.RefID == "none":
						// README leaves the cell of fill "none" open; it must not be NaN
						if got != nil && math.IsNaN(*got) {
							t.Errorf("%s row %d: NaN", key, i)
						}
						continue
					}
					if has {
						last = wantP
					}
					if (got == nil) != (wantP == nil) || (got != nil && *got != *wantP) {
						t.Errorf("%s at %s (fill %s): %s, want %s", key, ts.Format(time.RFC3339), q.RefID, fmtFloat(got), fmtFloat(wantP))
					}
				}
				if q.RefID == "null" {
					want := fl.Labels["sensor"] + " " + fl.Name
					if fl.Config == nil || fl.Config.DisplayNameFromDS != want {
						t.Errorf("%s: displayNameFromDS %v, want %q from alias {{sensor}} {{column}}", key, fl.Config, want)
					}
				}
			}
		})
	}
}

func fmtFloat(p *float64) string {
	if p == nil {
		return "null"
	}
	return fmt.Sprint(*p)
}

func sortedKeys[V any](m map[string]V) []string {
	out := keys(m)
	sort.Strings(out)
	return out
}

// TestCQLTimeSeriesEmpty: no rows in the range give the typed time and value fields, empty, and no error.
func TestCQLTimeSeriesEmpty(t *testing.T) {
	s := requireITSchema(t)
	q := cqlQuery("A", map[string]any{"cql": itSeriesCQL, "format": "time_series"})
	q.From, q.To = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2020, 1, 1, 6, 0, 0, 0, time.UTC)
	res, raw := queryData(t, s, q)
	f := okFrame(t, res, raw, "A")
	t.Logf("fields %v, meta %+v", fieldNames(f), f.Meta)
	if n := rowCount(t, f); n != 0 {
		t.Errorf("%d rows, want 0", n)
	}
	if len(f.Fields) < 2 {
		t.Fatalf("fields %v: want the typed time field and value fields, empty", fieldNames(f))
	}
	if ft := f.Fields[0].Type(); ft != data.FieldTypeTime && ft != data.FieldTypeNullableTime {
		t.Errorf("first field %s, want time", ft.ItemTypeString())
	}
	for _, fl := range f.Fields[1:] {
		if fl.Type() != data.FieldTypeFloat64 && fl.Type() != data.FieldTypeNullableFloat64 {
			t.Errorf("value field %s is %s, want float64", fl.Name, fl.Type().ItemTypeString())
		}
	}
}

// TestCQLTimeSeriesNullTime: rows whose time column is null are left out, with a notice; a boolean column is a
// label.
func TestCQLTimeSeriesNullTime(t *testing.T) {
	s := requireITSchema(t)
	res, raw := queryData(t, s, cqlQuery("A", map[string]any{
		"cql": "SELECT ts, b, d FROM conformance_it.types WHERE k IN (1, 2)", "format": "time_series", "timeColumn": "ts"}))
	f := okFrame(t, res, raw, "A")
	series := checkAlertReady(t, f)
	// the boolean column is a label ("true"/"false"), the double the value
	if _, ok := series[seriesKey("d", data.Labels{"b": "true"})]; !ok || len(series) != 1 {
		t.Errorf("value fields %v, want d{b=true}", sortedKeys(series))
	}
	if n := rowCount(t, f); n != 1 {
		t.Errorf("%d rows, want 1 (the row with a null ts left out)", n)
	}
	if len(metaNotices(f)) == 0 {
		t.Errorf("no notice saying rows with a null time were left out")
	}
	t.Logf("notices %+v", metaNotices(f))
}

// TestCQLMacros: $__timeFilter, $__timeFrom()/$__timeTo and $__timeBuckets(day) expand against the request's
// time range (both ends inclusive, epoch milliseconds, quoted UTC days), the expanded CQL is the frame's
// executedQueryString, and a macro inside a string literal is left alone.
func TestCQLMacros(t *testing.T) {
	s := requireITSchema(t)
	from, to := itFrom.UnixMilli(), itTo.UnixMilli()
	cases := []struct {
		refID, cql, expanded string
		rows                 int
	}{
		{"filter",
			"SELECT ts, value FROM conformance_it.readings WHERE sensor = 'a' AND day IN ($__timeBuckets(day)) AND $__timeFilter(ts)",
			fmt.Sprintf("SELECT ts, value FROM conformance_it.readings WHERE sensor = 'a' AND day IN ('2024-05-01', '2024-05-02') AND ts >= %d AND ts <= %d", from, to),
			4},
		{"fromto",
			"SELECT ts, value FROM conformance_it.readings WHERE sensor = 'a' AND day IN ('2024-05-01', '2024-05-02') AND ts >= $__timeFrom() AND ts < $__timeTo",
			fmt.Sprintf("SELECT ts, value FROM conformance_it.readings WHERE sensor = 'a' AND day IN ('2024-05-01', '2024-05-02') AND ts >= %d AND ts < %d", from, to),
			3},
		{"literal",
			"SELECT ts FROM conformance_it.readings WHERE sensor = '$__timeFilter(ts)' AND day = '2024-05-01'",
			"SELECT ts FROM conformance_it.readings WHERE sensor = '$__timeFilter(ts)' AND day = '2024-05-01'",
			0},
	}
	var qs []query
	for _, c := range cases {
		q := cqlQuery(c.refID, map[string]any{"cql": c.cql, "format": "table"})
		q.From, q.To = itFrom, itTo
		qs = append(qs, q)
	}
	res, raw := queryData(t, s, qs...)
	for _, c := range cases {
		t.Run(c.refID, func(t *testing.T) {
			f := okFrame(t, res, raw, c.refID)
			if got := executedQuery(f); got != c.expanded {
				t.Errorf("executedQueryString\n got %q\nwant %q", got, c.expanded)
			}
			if n := rowCount(t, f); n != c.rows {
				t.Errorf("%d rows, want %d", n, c.rows)
			}
		})
	}
}

// TestCQLRowLimit: the row limit stops at exactly N rows (over several pages) with a warning notice; a query's
// rowLimit lowers the data source's, never raises it; under the limit, and at exactly the limit, there is no notice.
func TestCQLRowLimit(t *testing.T) {
	requireITSchema(t)
	const cql = "SELECT c, v FROM conformance_it.seq WHERE p = 1"
	cases := []struct {
		name     string
		dsLimit  int
		qLimit   int
		wantRows int
		pageSize int
	}{
		{"query", 0, 4, 4, 3},
		{"datasource", 5, 0, 5, 3},
		{"query cannot raise", 5, 8, 5, 3},
		{"query lowers", 5, 2, 2, 3},
		{"under the limit", 0, 0, itSeqRows, 3},
		// exactly rowLimit rows, the last page full (the node still reports more pages): nothing was cut
		{"exactly the limit", itSeqRows, 0, itSeqRows, 5},
		{"exactly the limit, one page", itSeqRows, 0, itSeqRows, itSeqRows},
		// rowLimit + 1 rows, the limit at a page boundary: the row past it is found
		{"one row past the limit", itSeqRows - 1, 0, itSeqRows - 1, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			extra := map[string]any{"pageSize": c.pageSize}
			if c.dsLimit > 0 {
				extra["rowLimit"] = c.dsLimit
			}
			s := cqlSettings(t, extra, nil)
			m := map[string]any{"cql": cql, "format": "table"}
			if c.qLimit > 0 {
				m["rowLimit"] = c.qLimit
			}
			res, raw := queryData(t, s, cqlQuery("A", m))
			f := okFrame(t, res, raw, "A")
			if n := rowCount(t, f); n != c.wantRows {
				t.Errorf("%d rows, want %d", n, c.wantRows)
			}
			var warnings []data.Notice
			for _, n := range metaNotices(f) {
				if n.Severity == data.NoticeSeverityWarning {
					warnings = append(warnings, n)
				}
			}
			if c.wantRows == itSeqRows {
				if len(warnings) != 0 {
					t.Errorf("warnings %+v under the limit, want none", warnings)
				}
				return
			}
			// README "Formats": the notice names the limit that applied, the data source's setting or the
			// query's own (lower) option
			which := "setting rowLimit"
			if c.qLimit > 0 && (c.dsLimit == 0 || c.qLimit < c.dsLimit) {
				which = "query option rowLimit"
			}
			want := fmt.Sprintf("Results have been limited to %d rows because the row limit was reached (%s)", c.wantRows, which)
			if len(warnings) != 1 || warnings[0].Text != want {
				t.Errorf("notices %+v, want one warning %q", metaNotices(f), want)
			}
		})
	}
}

// TestCQLReadOnlyGuard: with readOnly (the default) a write is refused as 400 downstream before it reaches the
// node (the row is not there afterwards) while SELECT, LIST and DESCRIBE run; USE and two statements are refused even when writes are allowed.
func TestCQLReadOnlyGuard(t *testing.T) {
	requireITSchema(t)
	key := time.Now().UnixNano()%1_000_000 + 1_000_000
	ro := cqlSettings(t, nil, nil)
	res, raw := queryData(t, ro,
		cqlQuery("insert", map[string]any{"cql": fmt.Sprintf("INSERT INTO conformance_it.types (k, t) VALUES (%d, 'x')", key)}),
		cqlQuery("comment", map[string]any{"cql": fmt.Sprintf("/* a comment */ -- and another\n  insert INTO conformance_it.types (k) VALUES (%d)", key)}),
		cqlQuery("ddl", map[string]any{"cql": "DROP TABLE conformance_it.types"}),
		cqlQuery("select", map[string]any{"cql": "SELECT k FROM conformance_it.types WHERE k = 1"}),
		cqlQuery("list", map[string]any{"cql": "LIST ROLES"}),
		cqlQuery("describe", map[string]any{"cql": "DESCRIBE KEYSPACES"}),
	)
	for _, ref := range []string{"insert", "comment", "ddl"} {
		msg := failedWith(t, raw, ref, 400, backend.ErrorSourceDownstream)
		if !strings.Contains(msg, "read-only") || !strings.Contains(msg, "readOnly") {
			t.Errorf("%s: error %q, want it to say the data source is read-only (setting readOnly)", ref, msg)
		}
	}
	if f := okFrame(t, res, raw, "select"); rowCount(t, f) != 1 {
		t.Errorf("a SELECT next to refused writes: %d rows, want 1", rowCount(t, f))
	}
	for _, ref := range []string{"list", "describe"} { // reads the README allows on a read-only data source
		if f := okFrame(t, res, raw, ref); rowCount(t, f) == 0 {
			t.Errorf("%s: no rows", ref)
		}
	}
	res, raw = queryData(t, ro, cqlQuery("A", map[string]any{"cql": fmt.Sprintf("SELECT k FROM conformance_it.types WHERE k = %d", key)}))
	if n := rowCount(t, okFrame(t, res, raw, "A")); n != 0 {
		t.Errorf("the refused INSERT wrote a row (%d rows for k = %d)", n, key)
	}

	rw := cqlSettings(t, map[string]any{"readOnly": false}, nil)
	_, raw = queryData(t, rw,
		cqlQuery("use", map[string]any{"cql": "USE conformance_it"}),
		cqlQuery("two", map[string]any{"cql": "SELECT k FROM conformance_it.types WHERE k = 1; SELECT k FROM conformance_it.types WHERE k = 2"}),
	)
	for _, ref := range []string{"use", "two"} {
		failedWith(t, raw, ref, 400, backend.ErrorSourceDownstream)
	}
}

// TestCQLQueryErrors: the node's own message reaches the user with 400 downstream for a syntax error and an
// unknown table; an unknown macro is 400 naming it, and a bad query key is 400 naming the key.
func TestCQLQueryErrors(t *testing.T) {
	s := requireITSchema(t)
	failing := cqlQuery("expanded", map[string]any{"cql": "SELECT k FROM conformance_it.no_such_table WHERE $__timeFilter(ts)"})
	failing.From, failing.To = itFrom, itTo
	res, raw := queryData(t, s,
		cqlQuery("syntax", map[string]any{"cql": "SELECT k FROM conformance_it.types WHERE k = = 1"}),
		cqlQuery("table", map[string]any{"cql": "SELECT k FROM conformance_it.no_such_table"}),
		cqlQuery("macro", map[string]any{"cql": "SELECT k FROM conformance_it.types WHERE k = $__bogus(1)"}),
		cqlQuery("key", map[string]any{"cql": "SELECT k FROM conformance_it.types", "rowLimit": "10"}),
		failing,
	)
	if msg := failedWith(t, raw, "syntax", 400, backend.ErrorSourceDownstream); !strings.Contains(msg, "line 1:") {
		t.Errorf("syntax error %q does not carry the node's message (\"line 1:<column> …\")", msg)
	}
	if msg := failedWith(t, raw, "table", 400, backend.ErrorSourceDownstream); !strings.Contains(msg, "no_such_table") {
		t.Errorf("unknown table error %q does not carry the node's message naming the table", msg)
	}
	if msg := failedWith(t, raw, "macro", 400, backend.ErrorSourceDownstream); !strings.Contains(msg, "$__bogus") {
		t.Errorf("unknown macro error %q does not name $__bogus", msg)
	}
	if msg := failedWith(t, raw, "key", 400, backend.ErrorSourceDownstream); !strings.Contains(msg, "rowLimit") {
		t.Errorf("bad query key error %q does not name rowLimit", msg)
	}
	// README "Macros": the expanded CQL is shown in the query inspector also when the query fails.
	failedWith(t, raw, "expanded", 400, backend.ErrorSourceDownstream)
	want := fmt.Sprintf("SELECT k FROM conformance_it.no_such_table WHERE ts >= %d AND ts <= %d", itFrom.UnixMilli(), itTo.UnixMilli())
	var shown []string
	for _, f := range res.Responses["expanded"].Frames {
		shown = append(shown, executedQuery(f))
	}
	if len(shown) != 1 || shown[0] != want {
		t.Errorf("failed query: executedQueryString of its frames %q, want one frame showing %q", shown, want)
	}
}

// TestCQLMacrosAll: the other macros of the README's table against a fixed range and interval (12 h), each
// expanded exactly as documented, in CQL the node runs; more than 1000 buckets is a 400 naming the macro.
func TestCQLMacrosAll(t *testing.T) {
	s := requireITSchema(t)
	from, to := itFrom.UnixMilli(), itTo.UnixMilli()
	const base = "SELECT ts FROM conformance_it.readings WHERE sensor = 'a' AND day = '2024-05-01' AND "
	cases := []struct{ refID, macro, expanded string }{
		{"from-to", "ts >= $__from AND ts <= $__to", fmt.Sprintf("ts >= %d AND ts <= %d", from, to)},
		{"timeFrom-timeTo", "ts >= $__timeFrom AND ts <= $__timeTo()", fmt.Sprintf("ts >= %d AND ts <= %d", from, to)},
		{"unixEpoch", "ts >= $__unixEpochFrom() AND ts <= $__unixEpochTo()", fmt.Sprintf("ts >= %d AND ts <= %d", from/1000, to/1000)},
		{"unixEpochFilter", "$__unixEpochFilter(ts)", fmt.Sprintf("ts >= %d AND ts <= %d", from/1000, to/1000)},
		{"interval_ms", "$__timeFilter(ts) LIMIT $__interval_ms", fmt.Sprintf("ts >= %d AND ts <= %d LIMIT %d", from, to, 12*3600*1000)},
	}
	var qs []query
	for _, c := range cases {
		q := cqlQuery(c.refID, map[string]any{"cql": base + c.macro, "format": "table"})
		q.From, q.To, q.IntervalMS = itFrom, itTo, 12*3600*1000
		qs = append(qs, q)
	}
	// $__interval as Grafana's interval text, which is also a CQL duration: a time-range GROUP BY.
	iq := cqlQuery("interval", map[string]any{"cql": "SELECT sensor, day, floor(ts, $__interval) AS bucket, max(value) AS mx FROM conformance_it.readings " +
		"WHERE sensor = 'a' AND day = '2024-05-01' GROUP BY sensor, day, floor(ts, $__interval)", "format": "table"})
	iq.From, iq.To, iq.IntervalMS = itFrom, itTo, 12*3600*1000
	qs = append(qs, iq)
	// $__timeBuckets with a pattern, with month and hour, and over too long a range.
	const bucketsBase = "SELECT ts FROM conformance_it.readings WHERE day = '2024-05-01' AND sensor IN "
	buckets := []struct {
		refID, arg, expanded string
		to                   time.Time
	}{
		{"buckets-pattern", "($__timeBuckets(day, 'yyyyMMdd'))", "('20240501', '20240502')", itTo},
		{"buckets-month", "($__timeBuckets(month))", "('2024-05')", itTo},
		{"buckets-hour", "('a') AND ts IN ($__timeBuckets(hour))", "('a') AND ts IN ('2024-05-01 00:00:00+0000')", itFrom.Add(30 * time.Minute)},
		{"buckets-too-many", "($__timeBuckets(day))", "", itFrom.AddDate(3, 0, 0)},
	}
	for _, b := range buckets {
		q := cqlQuery(b.refID, map[string]any{"cql": bucketsBase + b.arg, "format": "table"})
		q.From, q.To = itFrom, b.to
		qs = append(qs, q)
	}
	res, raw := queryData(t, s, qs...)
	for _, b := range buckets {
		t.Run(b.refID, func(t *testing.T) {
			if b.expanded == "" {
				if msg := failedWith(t, raw, b.refID, 400, backend.ErrorSourceDownstream); !strings.Contains(msg, "$__timeBuckets") {
					t.Errorf("error %q does not name $__timeBuckets", msg)
				}
				return
			}
			f := okFrame(t, res, raw, b.refID)
			if got, want := executedQuery(f), bucketsBase+b.expanded; got != want {
				t.Errorf("executedQueryString\n got %q\nwant %q", got, want)
			}
			if b.refID == "buckets-hour" && rowCount(t, f) != 1 {
				t.Errorf("%d rows, want the reading of sensor a at 00:00", rowCount(t, f))
			}
		})
	}
	for _, c := range cases {
		t.Run(c.refID, func(t *testing.T) {
			f := okFrame(t, res, raw, c.refID)
			if got, want := executedQuery(f), base+c.expanded; got != want {
				t.Errorf("executedQueryString\n got %q\nwant %q", got, want)
			}
		})
	}
	t.Run("interval", func(t *testing.T) {
		f := okFrame(t, res, raw, "interval")
		if got := executedQuery(f); !strings.Contains(got, "floor(ts, 12h)") {
			t.Errorf("executedQueryString %q, want $__interval as 12h", got)
		}
		if n := rowCount(t, f); n != 2 {
			t.Errorf("%d 12-hour buckets of 2024-05-01, want 2", n)
		}
	})
}

// TestCQLQueryModel: the sqlds format numbers (0 time series, 1 table) are understood; a wrong key is 400
// naming it, and nothing reaches the node; time_series without a time column, or with a timeColumn of another
// type, is 400.
func TestCQLQueryModel(t *testing.T) {
	s := requireITSchema(t)
	const cql = "SELECT ts, sensor, value FROM conformance_it.readings WHERE sensor = 'a' AND day = '2024-05-01'"
	res, raw := queryData(t, s,
		cqlQuery("ts0", map[string]any{"cql": cql, "format": 0}),
		cqlQuery("table1", map[string]any{"cql": cql, "format": 1}),
		cqlQuery("format", map[string]any{"cql": cql, "format": "heatmap"}),
		cqlQuery("fill", map[string]any{"cql": cql, "format": "time_series", "fill": "linear"}),
		cqlQuery("cql", map[string]any{"cql": "", "format": "table"}),
		cqlQuery("notime", map[string]any{"cql": "SELECT sensor, value FROM conformance_it.readings WHERE sensor = 'a' AND day = '2024-05-01'", "format": "time_series"}),
		cqlQuery("timeColumn", map[string]any{"cql": cql, "format": "time_series", "timeColumn": "value"}),
	)
	if f := okFrame(t, res, raw, "ts0"); f.TimeSeriesSchema().Type != data.TimeSeriesTypeWide {
		t.Errorf("format 0: fields %v, want a wide time series", fieldNames(f))
	}
	if f := okFrame(t, res, raw, "table1"); f.Meta == nil || f.Meta.PreferredVisualization != data.VisTypeTable || len(f.Fields) != 3 {
		t.Errorf("format 1: fields %v meta %+v, want the table", fieldNames(f), f.Meta)
	}
	for ref, word := range map[string]string{"format": "format", "fill": "fill", "cql": "cql", "notime": "time", "timeColumn": "timeColumn"} {
		if msg := failedWith(t, raw, ref, 400, backend.ErrorSourceDownstream); !strings.Contains(msg, word) {
			t.Errorf("%s: error %q does not name %q", ref, msg, word)
		}
	}
}

// TestCQLTopLevelFields: the top-level url (contact points), database (keyspace) and user of a data source
// are used when jsonData and secureJsonData leave them empty (README "Top-level data source fields").
func TestCQLTopLevelFields(t *testing.T) {
	requireITSchema(t)
	s := cqlSettings(t, nil, map[string]string{"password": cqlEnv("CQL_TEST_PASSWORD", "cassandra")})
	s.JSONData = []byte(`{"connectTimeoutSeconds": 10}`)
	s.URL, s.Database, s.User = os.Getenv("CQL_TEST_HOST"), itKeyspace, cqlEnv("CQL_TEST_USER", "cassandra")
	res, raw := queryData(t, s, cqlQuery("A", map[string]any{"cql": "SELECT k FROM types WHERE k = 1", "format": "table"}))
	if f := okFrame(t, res, raw, "A"); rowCount(t, f) != 1 {
		t.Errorf("%d rows, want 1", rowCount(t, f))
	}
}

// TestCQLErrorStatuses: README "Errors": authentication failed is 401, no node reachable 502, each with the
// error source downstream and a message that says so.
func TestCQLErrorStatuses(t *testing.T) {
	requireITSchema(t)
	q := cqlQuery("A", map[string]any{"cql": "SELECT k FROM conformance_it.types WHERE k = 1", "format": "table"})
	_, raw := queryData(t, cqlSettings(t, nil, map[string]string{"username": cqlEnv("CQL_TEST_USER", "cassandra"), "password": "wrong"}), q)
	if msg := failedWith(t, raw, "A", 401, backend.ErrorSourceDownstream); !strings.Contains(strings.ToLower(msg), "authentication") {
		t.Errorf("error %q does not say authentication failed", msg)
	}
	unreachable := newSettings(t, map[string]any{"contactPoints": "127.0.0.1:1", "connectTimeoutSeconds": 2}, nil)
	_, raw = queryData(t, unreachable, q)
	if msg := failedWith(t, raw, "A", 502, backend.ErrorSourceDownstream); !strings.Contains(msg, "127.0.0.1:1") {
		t.Errorf("error %q does not name the contact point", msg)
	}
}
