package conformance

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// TestCQLTimeGroupOnNode: one panel whose timeGroup the node (Cassandra 5.0+) groups, end to end through the packaged
// plugin. The executed query shown is the grouped statement that was sent; the answer is alert-ready and equals, cell
// by cell, the same query grouped in the plugin (timeGroupOnNode: false) and this host's own daily averages of
// itReadings. README "Formats" (timeGroup) says when the node groups and when the plugin does.
func TestCQLTimeGroupOnNode(t *testing.T) {
	s := requireITSchema(t)
	cql := "SELECT ts, sensor, value, load FROM conformance_it.readings " +
		"WHERE sensor IN ('a', 'b') AND day IN ($__timeBuckets(day)) AND $__timeFilter(ts)"
	model := map[string]any{"cql": cql, "format": "time_series", "timeGroup": "1d", "aggregate": "avg"}
	inPlugin := map[string]any{"timeGroupOnNode": false}
	for k, v := range model {
		inPlugin[k] = v
	}
	qs := []query{cqlQuery("node", model), cqlQuery("plugin", inPlugin)}
	for i := range qs {
		qs[i].From, qs[i].To = itFrom, itTo
	}
	res, raw := queryData(t, s, qs...)
	node, plugin := okFrame(t, res, raw, "node"), okFrame(t, res, raw, "plugin")

	sent := executedQuery(node)
	if !strings.Contains(sent, "GROUP BY sensor, day, floor(ts, 1d)") || !strings.Contains(sent, "sum(value), count(value), sum(cast(load AS double)), count(load)") {
		t.Errorf("executedQueryString %q: want the statement grouped on the node", sent)
	}
	if strings.Contains(executedQuery(plugin), "GROUP BY") {
		t.Errorf("timeGroupOnNode false: executedQueryString %q groups on the node", executedQuery(plugin))
	}
	t.Logf("sent: %s", sent)

	series := checkAlertReady(t, node)
	checkAlertReady(t, plugin)
	if len(node.Fields) != len(plugin.Fields) || rowCount(t, node) != rowCount(t, plugin) {
		t.Fatalf("node answer %v (%d rows), plugin answer %v (%d rows)", fieldNames(node), rowCount(t, node), fieldNames(plugin), rowCount(t, plugin))
	}
	for i := range node.Fields {
		a, b := node.Fields[i], plugin.Fields[i]
		if a.Name != b.Name || a.Labels.String() != b.Labels.String() || a.Type() != b.Type() {
			t.Errorf("field %d: node %s%v %s, plugin %s%v %s", i, a.Name, a.Labels, a.Type().ItemTypeString(), b.Name, b.Labels, b.Type().ItemTypeString())
			continue
		}
		for r := 0; r < a.Len(); r++ {
			if i == 0 {
				if msg := compareValue(b.At(r), a.At(r)); msg != "" {
					t.Errorf("time row %d: %s", r, msg)
				}
				continue
			}
			x, y := floatAt(a, r), floatAt(b, r)
			if (x == nil) != (y == nil) || (x != nil && math.Float64bits(*x) != math.Float64bits(*y)) {
				t.Errorf("%s%v row %d: node %s, plugin %s", a.Name, a.Labels, r, fmtFloat(x), fmtFloat(y))
			}
		}
	}

	// this host's own buckets: UTC days of itReadings in range, averaged per sensor
	day1, day2 := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC)
	want := map[string]map[time.Time]float64{
		seriesKey("value", data.Labels{"sensor": "a"}): {day1: 2, day2: 4},
		seriesKey("load", data.Labels{"sensor": "a"}):  {day1: 15, day2: 35},
		seriesKey("value", data.Labels{"sensor": "b"}): {day1: 10.25, day2: 11},
		seriesKey("load", data.Labels{"sensor": "b"}):  {day1: 1, day2: 2},
	}
	if rowCount(t, node) != 2 {
		t.Fatalf("%d rows, want 2 (one per day)", rowCount(t, node))
	}
	for key, cells := range want {
		fl, ok := series[key]
		if !ok {
			t.Errorf("no value field %s (fields %v)", key, sortedKeys(series))
			continue
		}
		for i := 0; i < 2; i++ {
			ts := node.Fields[0].At(i).(time.Time)
			got := floatAt(fl, i)
			if w := cells[ts.UTC()]; got == nil || math.Abs(*got-w) > 0 {
				t.Errorf("%s at %s: %s, want %v", key, ts.UTC().Format(time.RFC3339), fmtFloat(got), w)
			}
		}
	}
}
