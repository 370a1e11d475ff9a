package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

// selftestField is one expected field of the self-test frame.
type selftestField struct {
	name   string
	typ    data.FieldType
	values []any
}

// selftestFields are the non-null fields of the self-test frame in order (README "Query model").
func selftestFields() []selftestField {
	return []selftestField{
		{"int8", data.FieldTypeInt8, []any{int8(math.MinInt8), int8(0), int8(math.MaxInt8)}},
		{"int16", data.FieldTypeInt16, []any{int16(math.MinInt16), int16(0), int16(math.MaxInt16)}},
		{"int32", data.FieldTypeInt32, []any{int32(math.MinInt32), int32(0), int32(math.MaxInt32)}},
		{"int64", data.FieldTypeInt64, []any{int64(math.MinInt64), int64(0), int64(math.MaxInt64)}},
		{"uint8", data.FieldTypeUint8, []any{uint8(0), uint8(1), uint8(math.MaxUint8)}},
		{"uint16", data.FieldTypeUint16, []any{uint16(0), uint16(1), uint16(math.MaxUint16)}},
		{"uint32", data.FieldTypeUint32, []any{uint32(0), uint32(1), uint32(math.MaxUint32)}},
		{"uint64", data.FieldTypeUint64, []any{uint64(0), uint64(1), uint64(math.MaxUint64)}},
		{"float32", data.FieldTypeFloat32, []any{float32(1.5), float32(-0.25), float32(3.4028235e38)}},
		{"float64", data.FieldTypeFloat64, []any{0.1, -2.5, 1e300}},
		{"bool", data.FieldTypeBool, []any{true, false, true}},
		{"string", data.FieldTypeString, []any{"a", "ünïcödé", ""}},
		{"time", data.FieldTypeTime, []any{
			time.Date(2024, 1, 2, 3, 4, 5, 123456789, time.UTC),
			time.Unix(0, 0).UTC(),
			time.Date(2038, 1, 19, 3, 14, 8, 0, time.UTC),
		}},
		{"json", data.FieldTypeJSON, []any{json.RawMessage(`{"a":1}`), json.RawMessage(`[1,2]`), json.RawMessage(`"x"`)}},
		{"enum", data.FieldTypeEnum, []any{data.EnumItemIndex(0), data.EnumItemIndex(1), data.EnumItemIndex(2)}},
	}
}

// TestQueryDataSelfTestFrame: the self-test frame carries every field type Grafana decodes, nullable and
// not, with extreme values, labels together with config, and FrameMeta. It is decoded by the SDK exactly
// as Grafana decodes it, and each field's Go type and value is compared.
func TestQueryDataSelfTestFrame(t *testing.T) {
	res, raw := queryData(t, newSettings(t, nil, nil), selftestQuery("A"))
	if len(raw.Responses) != 1 {
		t.Errorf("responses for refIds %v; want only A", keys(raw.Responses))
	}
	rawA, ok := raw.Responses["A"]
	if !ok {
		t.Fatalf("no response for refId A (Grafana would treat it as NoData)")
	}
	if rawA.Status != 200 {
		t.Errorf("DataResponse.status on the wire = %d, want 200 (Grafana reads 0 as 500)", rawA.Status)
	}
	dr := res.Responses["A"]
	if dr.Error != nil || rawA.Error != "" {
		t.Errorf("selftest error %q (source %q), want none", rawA.Error, rawA.ErrorSource)
	}
	if len(dr.Frames) != 1 {
		t.Fatalf("selftest returned %d frames, want exactly 1", len(dr.Frames))
	}
	checkSelftestFrame(t, dr.Frames[0], "A")
	// Grafana's /api/ds/query hands the browser the frame as JSON; that must work too.
	if _, err := json.Marshal(dr.Frames[0]); err != nil {
		t.Errorf("the decoded frame cannot be written as Grafana's JSON frame format: %v", err)
	}
}

func checkSelftestFrame(t *testing.T, f *data.Frame, refID string) {
	t.Helper()
	if f.Name != "selftest" {
		t.Errorf("frame name %q, want %q", f.Name, "selftest")
	}
	if f.RefID != refID {
		t.Errorf("frame refId %q, want %q", f.RefID, refID)
	}
	checkSelftestMeta(t, f.Meta)

	base := selftestFields()
	var want []selftestField
	want = append(want, base...)
	for _, b := range base {
		want = append(want, selftestField{
			name:   b.name + "_nullable",
			typ:    b.typ.NullableType(),
			values: []any{b.values[0], nil, b.values[2]},
		})
	}
	want = append(want, selftestField{"value", data.FieldTypeFloat64, []any{1.0, 2.0, 3.0}})

	if len(f.Fields) != len(want) {
		names := make([]string, len(f.Fields))
		for i, fl := range f.Fields {
			names[i] = fmt.Sprintf("%s(%s)", fl.Name, fl.Type().ItemTypeString())
		}
		t.Errorf("frame has %d fields %v, want %d", len(f.Fields), names, len(want))
	}
	if rows, err := f.RowLen(); err != nil {
		t.Errorf("frame fields have unequal lengths: %v", err)
	} else if rows != 3 {
		t.Errorf("frame has %d rows, want 3", rows)
	}
	for i, w := range want {
		if i >= len(f.Fields) {
			t.Errorf("field %d %q missing", i, w.name)
			continue
		}
		fl := f.Fields[i]
		if fl.Name != w.name {
			t.Errorf("field %d: name %q, want %q", i, fl.Name, w.name)
		}
		if fl.Type() != w.typ {
			t.Errorf("field %d %q: Go type %s, want %s", i, fl.Name, fl.Type().ItemTypeString(), w.typ.ItemTypeString())
			continue
		}
		if fl.Nullable() != w.typ.Nullable() {
			t.Errorf("field %d %q: nullable %v, want %v", i, fl.Name, fl.Nullable(), w.typ.Nullable())
		}
		if fl.Len() != len(w.values) {
			t.Errorf("field %d %q: %d values, want %d", i, fl.Name, fl.Len(), len(w.values))
			continue
		}
		for row, wv := range w.values {
			got := fl.At(row)
			if msg := compareValue(wv, got); msg != "" {
				t.Errorf("field %q row %d: %s", fl.Name, row, msg)
			}
		}
	}

	byName := map[string]*data.Field{}
	for _, fl := range f.Fields {
		byName[fl.Name] = fl
	}
	if enum := byName["enum"]; enum != nil {
		var text []string
		if enum.Config != nil && enum.Config.TypeConfig != nil && enum.Config.TypeConfig.Enum != nil {
			text = enum.Config.TypeConfig.Enum.Text
		}
		if !reflect.DeepEqual(text, []string{"low", "mid", "high"}) {
			t.Errorf("field enum: config type.enum.text %q, want [low mid high]", text)
		}
	}
	if value := byName["value"]; value != nil {
		wantLabels := data.Labels{"host": "a", "dc": "x"}
		if !reflect.DeepEqual(value.Labels, wantLabels) {
			t.Errorf("field value: labels %v, want %v (labels must survive next to config)", value.Labels, wantLabels)
		}
		if value.Config == nil {
			t.Errorf("field value: no config, want unit ms and displayName Latency (config must survive next to labels)")
		} else {
			if value.Config.Unit != "ms" {
				t.Errorf("field value: config unit %q, want ms", value.Config.Unit)
			}
			if value.Config.DisplayName != "Latency" {
				t.Errorf("field value: config displayName %q, want Latency", value.Config.DisplayName)
			}
		}
	}
}

func checkSelftestMeta(t *testing.T, meta *data.FrameMeta) {
	t.Helper()
	if meta == nil {
		t.Errorf("frame has no meta")
		return
	}
	if meta.PreferredVisualization != data.VisTypeTable {
		t.Errorf("meta preferredVisualisationType %q, want %q", meta.PreferredVisualization, data.VisTypeTable)
	}
	if meta.ExecutedQueryString != "selftest" {
		t.Errorf("meta executedQueryString %q, want %q", meta.ExecutedQueryString, "selftest")
	}
	if meta.TypeVersion != (data.FrameTypeVersion{0, 0}) {
		t.Errorf("meta typeVersion %v, want [0,0]", meta.TypeVersion)
	}
	want := []data.Notice{{Severity: data.NoticeSeverityInfo, Text: "protocol self-test"}}
	if !reflect.DeepEqual(meta.Notices, want) {
		t.Errorf("meta notices %+v, want %+v", meta.Notices, want)
	}
}

// compareValue compares one decoded cell with the expected value; want nil means a null cell of a
// nullable field, and a pointer cell is compared by what it points to. It returns "" when equal.
func compareValue(want, got any) string {
	gv := reflect.ValueOf(got)
	if gv.Kind() == reflect.Pointer {
		if gv.IsNil() {
			if want == nil {
				return ""
			}
			return fmt.Sprintf("null, want %v", describe(want))
		}
		if want == nil {
			return fmt.Sprintf("%v, want null", describe(gv.Elem().Interface()))
		}
		got = gv.Elem().Interface()
	} else if want == nil {
		return fmt.Sprintf("%v (not a pointer: the field is not nullable), want null", describe(got))
	}
	switch w := want.(type) {
	case time.Time:
		g, ok := got.(time.Time)
		if !ok {
			return fmt.Sprintf("%T, want time.Time", got)
		}
		if !g.Equal(w) || g.UnixNano() != w.UnixNano() {
			return fmt.Sprintf("%s (%d ns), want %s (%d ns)", g.UTC().Format(time.RFC3339Nano), g.UnixNano(), w.Format(time.RFC3339Nano), w.UnixNano())
		}
		return ""
	case json.RawMessage:
		g, ok := got.(json.RawMessage)
		if !ok {
			return fmt.Sprintf("%T, want json.RawMessage", got)
		}
		var gc, wc bytes.Buffer
		if err := json.Compact(&gc, g); err != nil {
			return fmt.Sprintf("invalid JSON %q: %v", g, err)
		}
		_ = json.Compact(&wc, w)
		if gc.String() != wc.String() {
			return fmt.Sprintf("JSON %s, want %s", g, w)
		}
		return ""
	}
	if reflect.TypeOf(got) != reflect.TypeOf(want) {
		return fmt.Sprintf("%v of type %T, want %v of type %T", got, got, want, want)
	}
	if got != want {
		return fmt.Sprintf("%v, want %v", describe(got), describe(want))
	}
	return ""
}

func describe(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("%q", x)
	case float32, float64:
		return fmt.Sprintf("%v (%T)", x, x)
	}
	return fmt.Sprintf("%v", v)
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestQueryDataMalformedJSON: a query whose model is not JSON fails alone, as a user error (400,
// downstream), while the other query of the same request still answers.
func TestQueryDataMalformedJSON(t *testing.T) {
	res, raw := queryData(t, newSettings(t, nil, nil), selftestQuery("A"), query{RefID: "B", JSON: `{"refId":"B",`})
	b, ok := raw.Responses["B"]
	if !ok {
		t.Fatalf("no response for the malformed query B; responses for %v", keys(raw.Responses))
	}
	if b.Status != 400 {
		t.Errorf("B: status %d, want 400", b.Status)
	}
	if b.ErrorSource != string(backend.ErrorSourceDownstream) {
		t.Errorf("B: errorSource %q, want %q", b.ErrorSource, backend.ErrorSourceDownstream)
	}
	if b.Error == "" {
		t.Errorf("B: empty error message")
	}
	t.Logf("B: status %d, source %q, error %q", b.Status, b.ErrorSource, b.Error)
	a, ok := res.Responses["A"]
	if !ok {
		t.Fatalf("no response for the good query A next to a malformed one")
	}
	if a.Status != backend.StatusOK || a.Error != nil {
		t.Errorf("A: status %d error %v, want 200 and no error", a.Status, a.Error)
	}
	if len(a.Frames) != 1 {
		t.Fatalf("A: %d frames, want 1", len(a.Frames))
	}
	checkSelftestFrame(t, a.Frames[0], "A")
}

// TestQueryDataMultipleRefIDs: every query of a request gets its own response under its refId; a
// missing key is silent NoData in Grafana alerting.
func TestQueryDataMultipleRefIDs(t *testing.T) {
	refIDs := []string{"A", "B", "C", "query-4", "Ω"}
	var qs []query
	for _, r := range refIDs {
		qs = append(qs, selftestQuery(r))
	}
	res, raw := queryData(t, newSettings(t, nil, nil), qs...)
	if len(raw.Responses) != len(refIDs) {
		t.Errorf("responses keyed %v, want %v", keys(raw.Responses), refIDs)
	}
	for _, r := range refIDs {
		dr, ok := res.Responses[r]
		if !ok {
			t.Errorf("no response for refId %q", r)
			continue
		}
		if dr.Status != backend.StatusOK || dr.Error != nil {
			t.Errorf("refId %q: status %d error %v", r, dr.Status, dr.Error)
		}
		if len(dr.Frames) != 1 {
			t.Errorf("refId %q: %d frames, want 1", r, len(dr.Frames))
			continue
		}
		if dr.Frames[0].RefID != r {
			t.Errorf("refId %q: frame refId %q", r, dr.Frames[0].RefID)
		}
	}
}

// TestQueryDataCancellation: Grafana cancels a query when the dashboard is closed or the alert evaluation
// times out. The query here hangs on a node that accepts TCP but never answers; the client cancels it;
// the call must end promptly and the plugin must go on serving.
func TestQueryDataCancellation(t *testing.T) {
	h := sharedPlugin(t)
	ln := blackHole(t)
	settings := newSettings(t, map[string]any{
		"contactPoints":         ln.Addr().String(),
		"connectTimeoutSeconds": 30,
		"queryTimeoutSeconds":   30,
	}, nil)
	q := cqlQuery("A", map[string]any{"cql": "SELECT release_version FROM system.local", "format": "table"})
	// README "Metrics": a cancelled request is counted as status="cancelled", not "ok"
	cancelledQueries := func(l map[string]string) bool {
		return strings.Contains(strings.ToLower(l["endpoint"]), "query") && l["status"] == "cancelled"
	}
	cancelledBefore := collectMetrics(t).sum(requestsFamily, cancelledQueries)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		res *pluginv2.QueryDataResponse
		err error
		at  time.Time
	}
	done := make(chan result, 1)
	started := time.Now()
	go func() {
		res, err := h.data.QueryData(ctx, queryDataRequest(settings, q))
		done <- result{res, err, time.Now()}
	}()
	select {
	case r := <-done:
		// A node that accepts TCP and never answers cannot produce a result within a second when the
		// connect timeout is 30 s: the query was not executed, so cancellation could not be exercised.
		detail := fmt.Sprintf("gRPC error %v", r.err)
		if r.err == nil {
			a := r.res.Responses["A"]
			detail = fmt.Sprintf("status %d, source %q, error %q", a.GetStatus(), a.GetErrorSource(), a.GetError())
		}
		t.Errorf("a query against a node that never answers ended after %v (%s); want it to wait until cancelled",
			r.at.Sub(started).Round(time.Millisecond), detail)
	case <-time.After(time.Second):
		cancelAt := time.Now()
		cancel()
		select {
		case r := <-done:
			took := r.at.Sub(cancelAt)
			t.Logf("QueryData returned %v after cancel: %v", took.Round(time.Millisecond), r.err)
			if status.Code(r.err) != codes.Canceled {
				t.Errorf("cancelled QueryData ended with %v, want codes.Canceled", r.err)
			}
		case <-time.After(2 * time.Second):
			t.Errorf("QueryData did not return within 2 s of cancellation")
		}
	}

	// the handler records its outcome once its queries have stopped, a moment after the client saw the cancel
	deadline := time.Now().Add(10 * time.Second)
	for collectMetrics(t).sum(requestsFamily, cancelledQueries) <= cancelledBefore {
		if time.Now().After(deadline) {
			t.Errorf("%s{status=\"cancelled\"} for query endpoints did not grow after a cancelled QueryData", requestsFamily)
			break
		}
		time.Sleep(50 * time.Millisecond)
	}

	// Still serving: health and a self-test answer.
	hc, err := grpc_health_v1.NewHealthClient(h.conn).Check(ctxTimeout(t, 5*time.Second), &grpc_health_v1.HealthCheckRequest{Service: "plugin"})
	if err != nil || hc.Status != grpc_health_v1.HealthCheckResponse_SERVING {
		t.Errorf("health after a cancelled query: %v %v", hc, err)
	}
	res, _ := queryData(t, newSettings(t, nil, nil), selftestQuery("A"))
	if dr := res.Responses["A"]; dr.Status != backend.StatusOK || len(dr.Frames) != 1 {
		t.Errorf("selftest after a cancelled query: status %d, %d frames, error %v", dr.Status, len(dr.Frames), dr.Error)
	}
	t.Logf("connections the plugin opened to the silent node: %d", ln.accepted())
}

// silentListener accepts TCP connections and never answers: a CQL node that hangs.
type silentListener struct {
	net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func (l *silentListener) accepted() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.conns)
}

func blackHole(t *testing.T) *silentListener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sl := &silentListener{Listener: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			sl.mu.Lock()
			sl.conns = append(sl.conns, c)
			sl.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		sl.mu.Lock()
		defer sl.mu.Unlock()
		for _, c := range sl.conns {
			c.Close()
		}
	})
	return sl
}
