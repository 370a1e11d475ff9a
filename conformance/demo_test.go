package conformance

import (
	"encoding/json"
	"fmt"
	"math"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"go.yaml.in/yaml/v3"
)

// The demo as provisioned (README "Run the demo", "Provisioning"): the data source built from
// provisioning/datasources/datasource.yaml as Grafana passes it to the plugin, and every query of
// provisioning/dashboards/cql-demo.json and provisioning/alerting/*.yaml built as Grafana's frontend and
// alerting build them, against the demo keyspace the seeder wrote on the test node.

// demoEnv is Grafana's environment for the provisioning files, as docker-compose.yaml and tools/demo.sh set
// it, pointed at the test node: the data source then reaches the node through the provisioned values alone.
func demoEnv(t *testing.T) map[string]string {
	env := map[string]string{"CQL_USERNAME": "cassandra", "CQL_PASSWORD": "cassandra"}
	host := os.Getenv("CQL_TEST_HOST")
	if host == "" {
		t.Skip("CQL_TEST_HOST not set (e.g. 127.0.0.1:19042); skipping real-node case")
	}
	h, port, err := net.SplitHostPort(host)
	if err != nil {
		h, port = host, "9042"
	}
	env["CQL_CONTACT_POINTS"], env["CQL_PORT"] = h, port // the port separately, as the file reads it
	return env
}

func provisioningPath(parts ...string) string {
	return filepath.Join(append([]string{"..", "provisioning"}, parts...)...)
}

// expandGrafanaEnv replaces $VAR and ${VAR} from env like Grafana's provisioning ($$ is a literal $; an unset
// variable becomes empty).
func expandGrafanaEnv(s string, env map[string]string) string {
	return os.Expand(s, func(name string) string {
		if name == "$" {
			return "$"
		}
		return env[name]
	})
}

// expandTree expands every string of a decoded YAML value (Grafana expands each value, not the file text).
func expandTree(v any, env map[string]string) any {
	switch x := v.(type) {
	case string:
		return expandGrafanaEnv(x, env)
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			out[k] = expandTree(e, env)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = expandTree(e, env)
		}
		return out
	}
	return v
}

func readYAML(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s is not valid YAML: %v", path, err)
	}
	return doc
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// provisionedDataSource builds the DataSourceInstanceSettings Grafana sends for the data source of
// datasource.yaml: name, uid, top-level url/user/database, jsonData as JSON bytes, secureJsonData decrypted,
// after expanding Grafana's environment (demoEnv: the test node's address in CQL_CONTACT_POINTS and CQL_PORT).
func provisionedDataSource(t *testing.T) dsSettings {
	t.Helper()
	path := provisioningPath("datasources", "datasource.yaml")
	doc := expandTree(readYAML(t, path), demoEnv(t)).(map[string]any)
	list, _ := doc["datasources"].([]any)
	if len(list) != 1 {
		t.Fatalf("%s: %d data sources, want the demo's one", path, len(list))
	}
	ds, _ := list[0].(map[string]any)
	if str(ds["type"]) != pluginID {
		t.Fatalf("%s: type %q, want %q", path, ds["type"], pluginID)
	}
	jsonData, _ := ds["jsonData"].(map[string]any)
	if jsonData == nil {
		jsonData = map[string]any{}
	}
	t.Logf("contactPoints %q, port %q from the environment", jsonData["contactPoints"], jsonData["port"])
	raw, err := json.Marshal(jsonData)
	if err != nil {
		t.Fatalf("jsonData of %s cannot be JSON: %v", path, err)
	}
	secure := map[string]string{}
	if m, ok := ds["secureJsonData"].(map[string]any); ok {
		for k, v := range m {
			secure[k] = fmt.Sprint(v)
		}
	}
	return dsSettings{
		UID:      str(ds["uid"]),
		Name:     str(ds["name"]),
		URL:      str(ds["url"]),
		User:     str(ds["user"]),
		Database: str(ds["database"]),
		JSONData: raw,
		Secure:   secure,
		Updated:  time.Now(),
	}
}

// demoDashboard is the part of the dashboard JSON the frontend uses to build queries.
type demoDashboard struct {
	Time struct {
		From string `json:"from"`
		To   string `json:"to"`
	} `json:"time"`
	Annotations struct {
		List []struct {
			Name       string         `json:"name"`
			Datasource map[string]any `json:"datasource"`
			Target     map[string]any `json:"target"`
		} `json:"list"`
	} `json:"annotations"`
	Templating struct {
		List []struct {
			Name       string          `json:"name"`
			Type       string          `json:"type"`
			Multi      bool            `json:"multi"`
			IncludeAll bool            `json:"includeAll"`
			AllValue   *string         `json:"allValue"`
			Query      json.RawMessage `json:"query"`
			Current    struct {
				Value any `json:"value"`
			} `json:"current"`
		} `json:"list"`
	} `json:"templating"`
	Panels []struct {
		ID            int              `json:"id"`
		Title         string           `json:"title"`
		TimeFrom      string           `json:"timeFrom"`
		MaxDataPoints int64            `json:"maxDataPoints"`
		GridPos       struct{ W int }  `json:"gridPos"`
		Targets       []map[string]any `json:"targets"`
	} `json:"panels"`
}

var relativeTime = regexp.MustCompile(`^now(?:-(\d+)([smhdw]))?$`)

// grafanaTime resolves "now" and "now-6h" style dashboard times.
func grafanaTime(t *testing.T, s string, now time.Time) time.Time {
	t.Helper()
	m := relativeTime.FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("dashboard time %q: only now and now-<n><unit> are understood here", s)
	}
	if m[1] == "" {
		return now
	}
	return now.Add(-grafanaDuration(t, m[1]+m[2]))
}

// grafanaDuration parses "15m", "6h", "1d", "1w".
func grafanaDuration(t *testing.T, s string) time.Duration {
	t.Helper()
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil {
		t.Fatalf("duration %q: %v", s, err)
	}
	unit := map[byte]time.Duration{'s': time.Second, 'm': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}[s[len(s)-1]]
	if unit == 0 {
		t.Fatalf("duration %q: unknown unit", s)
	}
	return time.Duration(n) * unit
}

// niceIntervals are the steps a panel interval is rounded down to (like Grafana's rounding of range /
// maxDataPoints; the exact table is Grafana's business, the plugin must take any interval).
var niceIntervals = []time.Duration{time.Millisecond, 2 * time.Millisecond, 5 * time.Millisecond, 10 * time.Millisecond,
	20 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond, 500 * time.Millisecond,
	time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second, 20 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute, time.Hour,
	3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour}

func panelInterval(from, to time.Time, maxDataPoints int64) time.Duration {
	raw := to.Sub(from) / time.Duration(maxDataPoints)
	out := niceIntervals[0]
	for _, d := range niceIntervals {
		if d <= raw {
			out = d
		}
	}
	return out
}

var templateRef = regexp.MustCompile(`\$\{(\w+)(?::(\w+))?\}|\[\[(\w+)\]\]|\$(\w+)`)

var plainDecimal = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// interpolate fills dashboard variables into CQL as the data source's frontend does (README "Variables"):
// each value a CQL literal (quoted, quotes doubled; plain decimal numbers bare), several values
// comma-separated; ${var:raw} as written. Macros ($__…) are not variables and stay for the backend.
func interpolate(cql string, vars map[string][]string) string {
	return templateRef.ReplaceAllStringFunc(cql, func(ref string) string {
		m := templateRef.FindStringSubmatch(ref)
		name, format := m[1]+m[3]+m[4], m[2]
		values, ok := vars[name]
		if !ok {
			return ref
		}
		out := make([]string, len(values))
		for i, v := range values {
			switch {
			case format == "raw", plainDecimal.MatchString(v):
				out[i] = v
			default:
				out[i] = cqlString(v)
			}
		}
		return strings.Join(out, ",")
	})
}

// demoQuery builds the DataQuery Grafana sends for a dashboard target: the target object (variables filled in)
// plus what the frontend adds (intervalMs, maxDataPoints, datasourceId) as the query JSON, the panel's range.
func demoQuery(t *testing.T, target map[string]any, refID string, vars map[string][]string, from, to time.Time, maxDataPoints int64) query {
	t.Helper()
	m := map[string]any{}
	for k, v := range target {
		m[k] = v
	}
	if cql, ok := m["cql"].(string); ok {
		m["cql"] = interpolate(cql, vars)
	}
	interval := panelInterval(from, to, maxDataPoints)
	m["refId"] = refID
	m["intervalMs"] = interval.Milliseconds()
	m["maxDataPoints"] = maxDataPoints
	m["datasourceId"] = 1
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return query{RefID: refID, JSON: string(b), From: from, To: to, MaxDataPoints: maxDataPoints, IntervalMS: interval.Milliseconds()}
}

func loadDemoDashboard(t *testing.T) demoDashboard {
	t.Helper()
	path := provisioningPath("dashboards", "cql-demo.json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	var d demoDashboard
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return d
}

// TestDemoProvisioned runs the provisioned demo: the dashboard's variable query (its result fills the
// multi-value variable, All selected), then every panel target, the annotation query and the alert rule's
// query with the data source from datasource.yaml. Each must answer 200 with data; time series are wide
// frames that match the same query's rows; the alert query is alert-ready; a live target names its channel.
func TestDemoProvisioned(t *testing.T) {
	requireDemo(t)
	s := provisionedDataSource(t)
	sharedPlugin(t)
	dash := loadDemoDashboard(t)
	now := time.Now()
	from, to := grafanaTime(t, dash.Time.From, now), grafanaTime(t, dash.Time.To, now)
	vars := map[string][]string{}

	for _, v := range dash.Templating.List {
		if v.Type != "query" {
			continue // custom, interval, constant …: no query
		}
		t.Run("variable "+v.Name, func(t *testing.T) {
			var target map[string]any
			if err := json.Unmarshal(v.Query, &target); err != nil {
				t.Fatalf("variable %s: query is not the query object: %v", v.Name, err)
			}
			refID := str(target["refId"])
			res, raw := queryData(t, s, demoQuery(t, target, refID, vars, from, to, 1000))
			f := okFrame(t, res, raw, refID)
			if len(f.Fields) == 0 {
				t.Fatalf("variable query answered no fields")
			}
			// The frontend takes the options from __value/__text or else the first field.
			options := stringColumn(t, f.Fields[0])
			if fl, _ := f.FieldByName("__value"); fl != nil {
				options = stringColumn(t, fl)
			}
			if len(options) == 0 {
				t.Fatalf("variable %s has no options", v.Name)
			}
			got := append([]string(nil), options...)
			sort.Strings(got)
			want := append([]string(nil), demoSensors...)
			sort.Strings(want)
			if v.Name == "sensor" && strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("options %v, want the seeded sensors %v", got, want)
			}
			// The dashboard's current selection: All (without a custom all value) passes every option; a custom
			// all value is inserted as written (README "Variables"); else the selected values.
			selected := currentValues(v.Current.Value)
			switch {
			case contains(selected, "$__all") && v.AllValue != nil:
				vars[v.Name] = []string{*v.AllValue}
				t.Errorf("custom all value %q: inserted raw, which this host does not model", *v.AllValue)
			case contains(selected, "$__all") || len(selected) == 0:
				vars[v.Name] = options
			default:
				vars[v.Name] = selected
			}
			t.Logf("$%s = %s", v.Name, interpolate("$"+v.Name, vars))
		})
	}

	for _, v := range dash.Templating.List {
		if v.Type == "query" && len(vars[v.Name]) == 0 {
			t.Fatalf("variable $%s has no value: the panels that use it cannot run", v.Name)
		}
	}

	for _, p := range dash.Panels {
		for _, target := range p.Targets {
			refID := str(target["refId"])
			t.Run(fmt.Sprintf("panel %d %s %s", p.ID, p.Title, refID), func(t *testing.T) {
				pFrom, pTo := from, to
				if p.TimeFrom != "" {
					pFrom = pTo.Add(-grafanaDuration(t, p.TimeFrom))
				}
				maxDataPoints := p.MaxDataPoints
				if maxDataPoints == 0 {
					maxDataPoints = int64(p.GridPos.W) * 80 // the panel's width in pixels on a 1920-px screen
				}
				q := demoQuery(t, target, refID, vars, pFrom, pTo, maxDataPoints)
				qs := []query{q}
				stream, _ := target["stream"].(bool)
				// a stream answers with its rows as read (README "Streaming": timeseries-long, no long→wide),
				// so that later packets append to the same fields; only non-stream time series are wide
				asTable := str(target["format"]) == "time_series" && !stream
				if asTable { // the same rows as a table, to check the long→wide conversion against
					tq := map[string]any{}
					_ = json.Unmarshal([]byte(q.JSON), &tq)
					tq["format"], tq["stream"], tq["refId"] = "table", false, "rows"
					tqq := cqlQuery("rows", tq)
					tqq.From, tqq.To = pFrom, pTo
					qs = append(qs, tqq)
				}
				res, raw := queryData(t, s, qs...)
				f := okFrame(t, res, raw, refID)
				n := rowCount(t, f)
				t.Logf("%d rows, fields %v, executed %q", n, fieldNames(f), executedQuery(f))
				if n == 0 {
					t.Errorf("no rows: the panel would show No data")
				}
				if strings.Contains(executedQuery(f), "$") {
					t.Errorf("executedQueryString %q still holds a variable or macro", executedQuery(f))
				}
				if asTable {
					series := checkAlertReady(t, f)
					sent := map[string]any{} // the target as sent: variables filled in, intervalMs set
					_ = json.Unmarshal([]byte(q.JSON), &sent)
					checkWideMatchesTable(t, f, series, okFrame(t, res, raw, "rows"), sent)
				}
				if stream {
					checkStreamFrame(t, f, str(target["format"]))
					checkLiveChannel(t, s, f)
				}
			})
		}
	}

	for _, a := range dash.Annotations.List {
		if a.Target == nil || str(a.Datasource["uid"]) != s.UID {
			continue
		}
		t.Run("annotation "+a.Name, func(t *testing.T) {
			refID := str(a.Target["refId"])
			res, raw := queryData(t, s, demoQuery(t, a.Target, refID, vars, from, to, 1000))
			f := okFrame(t, res, raw, refID)
			checkAnnotationFrame(t, f)
		})
	}
}

// checkStreamFrame: README "Streaming", "Frames": a time_series stream is declared timeseries-long, its time
// column comes first and its rows are in ascending time (each later packet appends to these fields).
func checkStreamFrame(t *testing.T, f *data.Frame, format string) {
	t.Helper()
	if format == "time_series" {
		if f.Meta == nil || f.Meta.Type != data.FrameTypeTimeSeriesLong {
			t.Errorf("stream time_series frame: meta.type %v, want %q", metaType(f), data.FrameTypeTimeSeriesLong)
		}
	}
	if len(f.Fields) == 0 || (f.Fields[0].Type() != data.FieldTypeNullableTime && f.Fields[0].Type() != data.FieldTypeTime) {
		t.Fatalf("stream frame: the first field must be the time column, got %v", fieldNames(f))
	}
	var last time.Time
	for i := 0; i < f.Fields[0].Len(); i++ {
		v, ok := f.Fields[0].ConcreteAt(i)
		if !ok {
			t.Fatalf("stream frame: null time at row %d", i)
		}
		ts := v.(time.Time)
		if ts.Before(last) {
			t.Fatalf("stream frame: row %d at %v comes after %v: rows must be in ascending time", i, ts, last)
		}
		last = ts
	}
}

func metaType(f *data.Frame) any {
	if f.Meta == nil {
		return nil
	}
	return f.Meta.Type
}

// currentValues is a variable's current value (a string or a list of strings).
func currentValues(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, fmt.Sprint(e))
		}
		return out
	}
	return nil
}

// timeGroupStep is the bucket size of target's timeGroup (README "Query model"), 0 without one; $__interval is
// the query's intervalMs.
func timeGroupStep(t *testing.T, target map[string]any) int64 {
	t.Helper()
	g := strings.TrimSpace(str(target["timeGroup"]))
	switch g {
	case "":
		return 0
	case "$__interval", "auto":
		ms, _ := target["intervalMs"].(float64)
		if ms <= 0 {
			t.Fatalf("timeGroup %q but the query has no intervalMs", g)
		}
		return int64(ms) * int64(time.Millisecond)
	}
	m := regexp.MustCompile(`^(\d+)(ms|s|m|h|d|w)$`).FindStringSubmatch(g)
	if m == nil {
		t.Fatalf("timeGroup %q is not a duration the README lists", g)
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	unit := map[string]time.Duration{"ms": time.Millisecond, "s": time.Second, "m": time.Minute, "h": time.Hour,
		"d": 24 * time.Hour, "w": 7 * 24 * time.Hour}[m[2]]
	return n * int64(unit)
}

// sample is one row's value of one series, kept to aggregate a time bucket.
type sample struct {
	at time.Time
	v  float64
}

// aggregateSamples combines a bucket's values as README "Formats" (timeGroup) says: avg by default, count of
// values, first / last by time (equal times: input order).
func aggregateSamples(t *testing.T, how string, xs []sample) float64 {
	t.Helper()
	out := xs[0].v
	switch how {
	case "", "avg", "sum":
		sum := 0.0
		for _, x := range xs {
			sum += x.v
		}
		if how == "sum" {
			return sum
		}
		return sum / float64(len(xs))
	case "count":
		return float64(len(xs))
	case "min":
		for _, x := range xs {
			out = math.Min(out, x.v)
		}
	case "max":
		for _, x := range xs {
			out = math.Max(out, x.v)
		}
	case "first":
		first := xs[0]
		for _, x := range xs[1:] {
			if x.at.Before(first.at) {
				first = x
			}
		}
		out = first.v
	case "last":
		last := xs[0]
		for _, x := range xs[1:] {
			if !x.at.Before(last.at) {
				last = x
			}
		}
		out = last.v
	default:
		t.Fatalf("aggregate %q is not one the README lists", how)
	}
	return out
}

// checkWideMatchesTable compares the wide frame with the same query's rows as a table (README "Formats"): the
// time index is the distinct times sorted, one value field per numeric column and label set of the text and
// boolean columns, each cell the row's value or else what the fill mode says; alias gives displayNameFromDS.
// With timeGroup, the times are the buckets' starts and each cell the aggregate of the series' values in it,
// computed here from the rows independently of the plugin.
func checkWideMatchesTable(t *testing.T, wide *data.Frame, series map[string]*data.Field, table *data.Frame, target map[string]any) {
	t.Helper()
	step := timeGroupStep(t, target)
	samples := map[string]map[time.Time][]sample{}
	timeCol := str(target["timeColumn"])
	fill := str(target["fill"])
	if fill == "" {
		fill = "none"
	}
	fillValue, _ := target["fillValue"].(float64)
	var tf *data.Field
	for _, fl := range table.Fields {
		isTime := fl.Type() == data.FieldTypeTime || fl.Type() == data.FieldTypeNullableTime
		if (timeCol != "" && fl.Name == timeCol) || (timeCol == "" && isTime && tf == nil) {
			tf = fl
		}
	}
	if tf == nil {
		t.Fatalf("table rows have no time column %q: %v", timeCol, fieldNames(table))
	}
	seen := map[time.Time]bool{}
	var times []time.Time
	cells := map[string]map[time.Time]float64{}
	labelsOf := map[string]data.Labels{}
	for row := 0; row < tf.Len(); row++ {
		tv, ok := tf.ConcreteAt(row)
		if !ok {
			continue
		}
		at := tv.(time.Time)
		ts := at
		if step > 0 {
			ts = time.Unix(0, floorDiv(at.UnixNano(), step)*step).UTC()
		}
		if !seen[ts] {
			seen[ts] = true
			times = append(times, ts)
		}
		labels := data.Labels{}
		for _, fl := range table.Fields {
			switch fl.Type().NonNullableType() {
			case data.FieldTypeString:
				v, _ := fl.ConcreteAt(row)
				s, _ := v.(string)
				labels[fl.Name] = s
			case data.FieldTypeBool:
				v, _ := fl.ConcreteAt(row)
				labels[fl.Name] = fmt.Sprint(v)
			}
		}
		for _, fl := range table.Fields {
			if fl == tf || !fl.Type().Numeric() {
				continue
			}
			v, ok := fl.ConcreteAt(row)
			if !ok {
				continue
			}
			f, err := fl.FloatAt(row)
			if err != nil {
				t.Fatalf("%s row %d: %v (%v)", fl.Name, row, err, v)
			}
			key := seriesKey(fl.Name, labels)
			if cells[key] == nil {
				cells[key] = map[time.Time]float64{}
				samples[key] = map[time.Time][]sample{}
				labelsOf[key] = labels
			}
			cells[key][ts] = f
			samples[key][ts] = append(samples[key][ts], sample{at, f})
		}
	}
	if step > 0 {
		merged := 0
		for key, buckets := range samples {
			for ts, xs := range buckets {
				cells[key][ts] = aggregateSamples(t, str(target["aggregate"]), xs)
				merged += len(xs) - 1
			}
		}
		t.Logf("timeGroup %v, aggregate %q: %d values merged into buckets", time.Duration(step), str(target["aggregate"]), merged)
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	if n := rowCount(t, wide); n != len(times) {
		t.Fatalf("wide frame: %d rows, want %d (distinct times of the rows)", n, len(times))
	}
	for i, ts := range times {
		if msg := compareValue(ts, wide.Fields[0].At(i)); msg != "" {
			t.Fatalf("time row %d: %s", i, msg)
		}
	}
	if got, want := sortedKeys(series), sortedKeys(cells); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("value fields\n got %v\nwant %v", got, want)
	}
	alias := str(target["alias"])
	mismatches, filled := 0, 0
	for key, fl := range series {
		var last *float64
		for i, ts := range times {
			got := floatAt(fl, i)
			want, has := cells[key][ts]
			var wantP *float64
			if !has {
				filled++
			}
			switch {
			case has:
				wantP = &want
				last = wantP
			case fill == "null":
			case fill == "previous":
				wantP = last
			case fill == "value":
				wantP = &fillValue
			default: // "none": the README leaves the cell open
				continue
			}
			equal := (got == nil) == (wantP == nil) && (got == nil || math.Abs(*got-*wantP) <= 1e-6*math.Max(1, math.Abs(*wantP)))
			if !equal {
				if mismatches++; mismatches <= 5 {
					t.Errorf("%s at %s (fill %s): %s, want %s", key, ts.Format(time.RFC3339), fill, fmtFloat(got), fmtFloat(wantP))
				}
			}
		}
		if alias != "" {
			want := strings.ReplaceAll(alias, "{{column}}", fl.Name)
			for k, v := range labelsOf[key] {
				want = strings.ReplaceAll(want, "{{"+k+"}}", v)
			}
			if fl.Config == nil || fl.Config.DisplayNameFromDS != want {
				t.Errorf("%s: displayNameFromDS %+v, want %q (alias %q)", key, fl.Config, want, alias)
			}
		}
	}
	if mismatches > 5 {
		t.Errorf("… %d mismatching cells in all", mismatches)
	}
	t.Logf("%d series × %d times match the rows (fill %s; %d cells without a row)", len(series), len(times), fill, filled)
}

// liveChannel is Grafana Live's channel syntax (live/channel.go): scope/namespace/path, at most 160 bytes.
var liveChannel = regexp.MustCompile(`^[A-Za-z0-9_\-.]+/[A-Za-z0-9_\-.]+/[A-Za-z0-9_\-/=.]+$`)

// checkLiveChannel: a stream target answers with meta.channel ds/<uid>/<path> (README "Query model",
// reference 5), which Grafana Live must accept and the plugin must let a browser subscribe to.
func checkLiveChannel(t *testing.T, s dsSettings, f *data.Frame) {
	t.Helper()
	channel := ""
	if f.Meta != nil {
		channel = f.Meta.Channel
	}
	prefix := "ds/" + s.UID + "/"
	if !strings.HasPrefix(channel, prefix) {
		t.Errorf("stream: true target: meta.channel %q, want %s<path> (without it the panel never streams)", channel, prefix)
		return
	}
	if len(channel) > 160 || !liveChannel.MatchString(channel) {
		t.Errorf("meta.channel %q is not a valid Grafana Live channel (≤160 chars, path [A-Za-z0-9_-/=.])", channel)
	}
	res, err := sharedPlugin(t).stream.SubscribeStream(ctxTimeout(t, 30*time.Second), &pluginv2.SubscribeStreamRequest{
		PluginContext: s.pluginContext(),
		Path:          strings.TrimPrefix(channel, prefix),
		Headers:       map[string]string{},
	})
	if err != nil {
		t.Errorf("SubscribeStream for the issued channel %q failed: %v", channel, err)
		return
	}
	if res.Status != pluginv2.SubscribeStreamResponse_OK {
		t.Errorf("SubscribeStream for the issued channel %q: %v, want OK", channel, res.Status)
	}
}

// checkAnnotationFrame: the columns Grafana maps by name (README "Annotations"): time, timeEnd, text, tags;
// points and regions (timeEnd after time).
func checkAnnotationFrame(t *testing.T, f *data.Frame) {
	t.Helper()
	n := rowCount(t, f)
	t.Logf("%d events, fields %v", n, fieldNames(f))
	if n == 0 {
		t.Fatalf("no events in the dashboard's range")
	}
	get := func(name string, typ data.FieldType) *data.Field {
		fl, _ := f.FieldByName(name)
		if fl == nil {
			t.Fatalf("no field %q (Grafana maps annotation columns by name): %v", name, fieldNames(f))
		}
		if fl.Type().NonNullableType() != typ {
			t.Errorf("field %s is %s, want %s", name, fl.Type().ItemTypeString(), typ.ItemTypeString())
		}
		return fl
	}
	tm, te := get("time", data.FieldTypeTime), get("timeEnd", data.FieldTypeTime)
	get("text", data.FieldTypeString)
	get("tags", data.FieldTypeString)
	regions := 0
	for i := 0; i < n; i++ {
		start, ok := tm.ConcreteAt(i)
		if !ok {
			t.Errorf("event %d has no time", i)
			continue
		}
		if end, ok := te.ConcreteAt(i); ok {
			regions++
			if end.(time.Time).Before(start.(time.Time)) {
				t.Errorf("event %d ends %v before it starts %v", i, end, start)
			}
		}
	}
	if regions == 0 {
		t.Errorf("no event with a timeEnd: the regions (overheating, HVAC checks) are missing")
	}
}

// TestDemoAlertRule runs the CQL query of each provisioned alert rule as Grafana's alerting does: the rule's
// model as the query JSON, its relativeTimeRange back from now, intervalMs and maxDataPoints from the model,
// the FromAlert header. The answer must be what server-side expressions accept: wide, float64, one series per
// label set (here sensor_id), matching the rows.
func TestDemoAlertRule(t *testing.T) {
	requireDemo(t)
	s := provisionedDataSource(t)
	h := sharedPlugin(t)
	files, _ := filepath.Glob(provisioningPath("alerting", "*.yaml"))
	if len(files) == 0 {
		t.Fatalf("no provisioning/alerting/*.yaml")
	}
	found := 0
	for _, file := range files {
		doc := readYAML(t, file)
		groups, _ := doc["groups"].([]any)
		for _, g := range groups {
			rules, _ := g.(map[string]any)["rules"].([]any)
			for _, r := range rules {
				rule, _ := r.(map[string]any)
				entries, _ := rule["data"].([]any)
				for _, e := range entries {
					entry, _ := e.(map[string]any)
					if str(entry["datasourceUid"]) != s.UID {
						continue
					}
					found++
					model, _ := entry["model"].(map[string]any)
					t.Run(str(rule["title"])+" "+str(entry["refId"]), func(t *testing.T) {
						runAlertQuery(t, h, s, str(entry["refId"]), model, entry["relativeTimeRange"])
					})
					// A rule copied from a live panel keeps stream: true; alerting must still get the wide
					// series and no Live channel (nobody would subscribe to it).
					streaming := map[string]any{"stream": true}
					for k, v := range model {
						if k != "stream" {
							streaming[k] = v
						}
					}
					t.Run(str(rule["title"])+" "+str(entry["refId"])+" with stream on", func(t *testing.T) {
						runAlertQuery(t, h, s, str(entry["refId"]), streaming, entry["relativeTimeRange"])
					})
				}
			}
		}
	}
	if found == 0 {
		t.Fatalf("no alert rule queries data source %s", s.UID)
	}
}

// decodeQueryData decodes a raw response as Grafana does.
func decodeQueryData(t *testing.T, raw *pluginv2.QueryDataResponse) *backend.QueryDataResponse {
	t.Helper()
	res, err := backend.FromProto().QueryDataResponse(raw)
	if err != nil {
		t.Fatalf("Grafana cannot decode the QueryData response: %v", err)
	}
	return res
}

func runAlertQuery(t *testing.T, h *pluginHost, s dsSettings, refID string, model map[string]any, rel any) {
	t.Helper()
	num := func(v any) int64 {
		switch x := v.(type) {
		case int:
			return int64(x)
		case float64:
			return int64(x)
		}
		return 0
	}
	rtr, _ := rel.(map[string]any)
	now := time.Now()
	q := query{
		RefID:         refID,
		From:          now.Add(-time.Duration(num(rtr["from"])) * time.Second),
		To:            now.Add(-time.Duration(num(rtr["to"])) * time.Second),
		MaxDataPoints: num(model["maxDataPoints"]),
		IntervalMS:    num(model["intervalMs"]),
	}
	b, _ := json.Marshal(model)
	q.JSON = string(b)
	req := queryDataRequest(s, q)
	req.Headers["FromAlert"] = "true"
	raw, err := h.data.QueryData(ctxTimeout(t, 60*time.Second), req)
	if err != nil {
		t.Fatalf("QueryData RPC failed: %v", err)
	}
	res := decodeQueryData(t, raw)
	f := okFrame(t, res, raw, refID)
	t.Logf("%d rows, fields %v, executed %q", rowCount(t, f), fieldNames(f), executedQuery(f))
	if f.Meta != nil && f.Meta.Channel != "" {
		t.Errorf("an alert rule's query was issued Live channel %q", f.Meta.Channel)
	}
	if rowCount(t, f) == 0 {
		t.Fatalf("no rows in the rule's range: the rule would be NoData")
	}
	series := checkAlertReady(t, f)
	for key, fl := range series {
		if len(fl.Labels) == 0 {
			t.Errorf("%s has no labels: the alert instances would not be told apart", key)
		}
		max := math.Inf(-1)
		for i := 0; i < fl.Len(); i++ {
			if v := floatAt(fl, i); v != nil && *v > max {
				max = *v
			}
		}
		t.Logf("%s: max %.2f over the range (the rule fires above 35)", key, max)
	}
	// The same rows as a table, to check the conversion.
	tm := map[string]any{}
	for k, v := range model {
		tm[k] = v
	}
	tm["format"], tm["refId"] = "table", "rows"
	tq := cqlQuery("rows", tm)
	tq.From, tq.To = q.From, q.To
	tres, traw := queryData(t, s, tq)
	checkWideMatchesTable(t, f, series, okFrame(t, tres, traw, "rows"), model)
}

// floorDiv rounds toward minus infinity, so times before the epoch fall in the bucket that starts before them.
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
