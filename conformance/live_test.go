package conformance

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/grafana/grafana-plugin-sdk-go/live"
)

// TestCQLLiveStream: Grafana Live end to end, as Grafana drives it. A stream query's QueryData answer names a
// channel Live accepts (live.ParseChannel); SubscribeStream says OK for it; RunStream sends the rows written after
// the answer as JSON frames the SDK decodes: the first with the answer's schema, the rest data-only appends, each
// row once, in time order.
func TestCQLLiveStream(t *testing.T) {
	s := cqlSettings(t, map[string]any{"readOnly": false, "localDatacenter": "datacenter1"}, nil)
	exec := func(cql string) {
		t.Helper()
		res, raw := queryData(t, s, cqlQuery("X", map[string]any{"cql": cql}))
		if dr := res.Responses["X"]; dr.Status != backend.StatusOK || dr.Error != nil {
			t.Fatalf("%s: status %d error %v (%s)", cql, dr.Status, dr.Error, raw.Responses["X"].ErrorSource)
		}
	}
	exec("CREATE KEYSPACE IF NOT EXISTS conformance_live WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	exec("CREATE TABLE IF NOT EXISTS conformance_live.events (p text, ts timestamp, v double, PRIMARY KEY (p, ts))")
	p := fmt.Sprintf("%s-%d", s.UID, time.Now().UnixNano())
	insert := func(ts time.Time, v float64) {
		exec(fmt.Sprintf("INSERT INTO conformance_live.events (p, ts, v) VALUES ('%s', %d, %g)", p, ts.UnixMilli(), v))
	}
	insert(time.Now().Add(-time.Minute), 1) // in the answer, never in a packet

	res, raw := queryData(t, s, cqlQuery("A", map[string]any{
		"cql":              "SELECT ts, v FROM conformance_live.events WHERE p = '" + p + "' AND $__timeFilter(ts)",
		"stream":           true,
		"streamIntervalMs": 250,
	}))
	dr := res.Responses["A"]
	if dr.Status != backend.StatusOK || dr.Error != nil || len(dr.Frames) != 1 {
		t.Fatalf("stream query: status %d error %v (%s), %d frames", dr.Status, dr.Error, raw.Responses["A"].ErrorSource, len(dr.Frames))
	}
	answer := dr.Frames[0]
	if answer.Meta == nil || answer.Meta.Channel == "" {
		t.Fatalf("the answer has no meta.channel: %+v", answer.Meta)
	}
	ch, err := live.ParseChannel(answer.Meta.Channel)
	if err != nil {
		t.Fatalf("Live refuses channel %q: %v", answer.Meta.Channel, err)
	}
	if ch.Scope != "ds" || ch.Namespace != s.UID || !strings.HasPrefix(ch.Path, "tail/") {
		t.Fatalf("channel %q: want ds/%s/tail/…", answer.Meta.Channel, s.UID)
	}
	if len(answer.Fields) != 2 || answer.Fields[0].Type().NonNullableType() != data.FieldTypeTime {
		t.Fatalf("answer fields %v: want ts (time) and v", answer.Fields)
	}
	if n, _ := answer.RowLen(); n != 1 {
		t.Errorf("the answer has %d rows, want the 1 row written before it", n)
	}

	sub, err := sharedPlugin(t).stream.SubscribeStream(ctxTimeout(t, 30*time.Second), &pluginv2.SubscribeStreamRequest{
		PluginContext: s.pluginContext(), Path: ch.Path, Headers: map[string]string{},
	})
	if err != nil || sub.Status != pluginv2.SubscribeStreamResponse_OK {
		t.Fatalf("SubscribeStream %q: %v %v, want OK", ch.Path, sub.GetStatus(), err)
	}

	written := []float64{2, 3, 4}
	insert(time.Now(), written[0]) // after the answer: the tail catches up from it
	// each next row only once the packet of the one before has arrived: a read in between, one packet per row
	packets := runStreamEach(t, s, ch.Path, nil, len(written), 20*time.Second, func(received int) {
		if received < len(written) {
			insert(time.Now(), written[received])
		}
	})
	if len(packets) != len(written) {
		t.Fatalf("%d packets, want %d (one per row)", len(packets), len(written))
	}
	var got []float64
	var last time.Time
	for i, pkt := range packets {
		if pkt.Frame == nil {
			t.Fatalf("packet %d does not decode: %v", i, pkt.Err)
		}
		hasSchema := strings.Contains(string(pkt.Raw), `"schema"`)
		if (i == 0) != hasSchema {
			t.Errorf("packet %d: schema present %v, want only in the first: %s", i, hasSchema, pkt.Raw)
		}
		if i == 0 {
			if len(pkt.Frame.Fields) != len(answer.Fields) {
				t.Fatalf("packet schema has %d fields, the answer %d", len(pkt.Frame.Fields), len(answer.Fields))
			}
			for k, f := range pkt.Frame.Fields {
				if f.Name != answer.Fields[k].Name || f.Type() != answer.Fields[k].Type() {
					t.Errorf("packet field %d is %s %s, the answer's %s %s", k, f.Name, f.Type().ItemTypeString(),
						answer.Fields[k].Name, answer.Fields[k].Type().ItemTypeString())
				}
			}
		}
		for r := 0; r < pkt.Frame.Rows(); r++ {
			ts, ok := pkt.Frame.Fields[0].ConcreteAt(r)
			if !ok || ts.(time.Time).Before(last) {
				t.Errorf("packet %d row %d: time %v not after %v", i, r, ts, last)
			} else {
				last = ts.(time.Time)
			}
			v, _ := pkt.Frame.Fields[1].ConcreteAt(r)
			got = append(got, v.(float64))
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(written) {
		t.Errorf("streamed values %v, want %v (each once, in order)", got, written)
	}
}
