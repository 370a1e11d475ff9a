package conformance

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

// Shared pieces of the real-node cases that run the backend's CQL cases through the packaged plugin: a
// keyspace of their own (itKeyspace), written through the plugin itself with a data source whose readOnly is
// false (a documented setting), and helpers to judge one DataResponse.

// itKeyspace is the keyspace these cases own on the test node; every run drops and recreates its tables.
const itKeyspace = "conformance_it"

// itDDL creates the schema, statement by statement. It runs only when the keyspace does not hold this exact
// schema yet (itSchemaVersion, a hash of these statements, is stored last), so a rerun costs no schema change.
var itDDL = []string{
	`DROP KEYSPACE IF EXISTS conformance_it`,
	`CREATE KEYSPACE conformance_it WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
	`CREATE TYPE conformance_it.addr (street text, zip int, tags frozen<list<text>>)`,
	`CREATE TABLE conformance_it.types (k int PRIMARY KEY, a ascii, t text, vc varchar, ti tinyint, si smallint, i int,
	   bi bigint, f float, d double, dec decimal, vi varint, b boolean, ts timestamp, dt date, tm time, du duration,
	   u uuid, tu timeuuid, ip inet, bl blob, l list<int>, s set<text>, m map<text, int>, mi map<int, text>,
	   mk map<frozen<list<int>>, int>, nest frozen<map<text, frozen<list<int>>>>, tup tuple<int, text, timestamp>,
	   udt frozen<addr>, v vector<float, 3>, ld list<double>, dl list<date>,
	   tx tuple<inet, blob, time, duration, uuid, decimal, varint, bigint>)`,
	`CREATE TABLE conformance_it.ctr (k bigint PRIMARY KEY, hits counter, misses counter)`,
	`CREATE TABLE conformance_it.readings (sensor text, day date, ts timestamp, site text, value double, load int,
	   PRIMARY KEY ((sensor, day), ts)) WITH CLUSTERING ORDER BY (ts ASC)`,
	`CREATE TABLE conformance_it.seq (p int, c int, v text, PRIMARY KEY (p, c))`,
	`CREATE TABLE conformance_it.schema_version (k int PRIMARY KEY, v text)`,
}

func itSchemaVersion() string {
	h := sha256.Sum256([]byte(strings.Join(itDDL, ";\n")))
	return hex.EncodeToString(h[:8])
}

// itCounterKey is this run's row of conformance_it.ctr: counters only add up, so each run increments its own.
var itCounterKey = time.Now().UnixNano()

// itData are the rows (upserts: a rerun writes the same values), sent in one request.
func itData() []string {
	out := []string{
		`INSERT INTO conformance_it.types (k, a, t, vc, ti, si, i, bi, f, d, dec, vi, b, ts, dt, tm, du, u, tu, ip, bl,
		   l, s, m, mi, mk, nest, tup, udt, v, ld, dl, tx)
		 VALUES (1, 'abc', 'ünïcödé "q"', 'v', -7, 300, -100000, 9007199254740993, 1.5, -2.25, 12.345,
		   123456789012345678901234567890, true, '2024-01-02 03:04:05.678+0000', '2024-02-29', '13:45:07.000000123',
		   1mo2d3h, 0e2f8c1a-7b3d-4c5e-9f60-a1b2c3d4e5f6, 5f1e8a40-a9c9-11ee-8c90-0242ac120002, '10.1.2.3', 0xcafe00,
		   [3, 1, 2], {'b', 'a'}, {'x': 1, 'y': 2}, {2: 'two', 1: 'one'}, {[1, 2]: 3}, {'k': [2, 1]},
		   (7, null, '2024-01-02 03:04:05.678+0000'), {street: 'Main St', zip: 12345, tags: ['home']},
		   [1.0, -2.5, 3.25], [1.5, NaN, -Infinity], ['2024-02-29'],
		   ('192.168.0.1', 0x00ff, '00:00:01', 1h30m, 0e2f8c1a-7b3d-4c5e-9f60-a1b2c3d4e5f6, 12.345,
		    123456789012345678901234567890, 9007199254740993))`,
		`INSERT INTO conformance_it.types (k) VALUES (2)`,
		`INSERT INTO conformance_it.types (k, ts, ip) VALUES (3, '1500-01-01 00:00:00+0000', '2001:db8::1')`,
		fmt.Sprintf(`UPDATE conformance_it.ctr SET hits = hits + 5 WHERE k = %d`, itCounterKey),
	}
	out = append(out, itReadingsInserts()...)
	return append(out, itSeqInserts()...)
}

// itReading is one row of conformance_it.readings.
type itReading struct {
	sensor, site string
	ts           time.Time
	value        float64
	load         int32
}

// itReadings: two sensors over three UTC days; timestamps shared between the sensors and some not, so the
// wide frame needs merged rows and missing cells. The rows of 2024-05-03 lie outside itRange.
var itReadings = []itReading{
	{"a", "north", time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), 1.5, 10},
	{"a", "north", time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC), 2.5, 20},
	{"a", "north", time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC), 3.5, 30},
	{"a", "north", time.Date(2024, 5, 2, 12, 0, 0, 0, time.UTC), 4.5, 40},
	{"a", "north", time.Date(2024, 5, 3, 0, 0, 0, 0, time.UTC), 99, 99},
	{"b", "south", time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC), 10.25, 1},
	{"b", "south", time.Date(2024, 5, 2, 6, 0, 0, 0, time.UTC), 11, 2},
}

// itFrom..itTo is the time range of the time-series and macro cases; both ends hit a row of sensor a.
var itFrom, itTo = time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 5, 2, 12, 0, 0, 0, time.UTC)

func itReadingsInserts() []string {
	var out []string
	for _, r := range itReadings {
		out = append(out, fmt.Sprintf(`INSERT INTO conformance_it.readings (sensor, day, ts, site, value, load) VALUES ('%s', '%s', %d, '%s', %v, %d)`,
			r.sensor, r.ts.Format("2006-01-02"), r.ts.UnixMilli(), r.site, r.value, r.load))
	}
	return out
}

// itSeqRows rows in one partition of conformance_it.seq, for the row limit.
const itSeqRows = 10

func itSeqInserts() []string {
	var out []string
	for c := 0; c < itSeqRows; c++ {
		out = append(out, fmt.Sprintf(`INSERT INTO conformance_it.seq (p, c, v) VALUES (1, %d, 'row %d')`, c, c))
	}
	return out
}

var (
	itOnce sync.Once
	itErr  error
)

// requireITSchema creates conformance_it through the plugin once per run and fails the test if that failed.
// It returns read-only settings (the default) for the test's own queries.
func requireITSchema(t *testing.T) dsSettings {
	t.Helper()
	s := cqlSettings(t, nil, nil)
	h := sharedPlugin(t)
	itOnce.Do(func() {
		w := cqlSettings(t, map[string]any{"readOnly": false}, nil)
		w.UID = "conformance-it-writer"
		t0 := time.Now()
		version := itSchemaVersion()
		if currentITSchema(h, w) != version {
			for _, stmt := range itDDL {
				if itErr = execAll(h, w, []query{cqlQuery("DDL", map[string]any{"cql": stmt, "format": "table"})}); itErr != nil {
					return
				}
			}
			mark := fmt.Sprintf(`INSERT INTO conformance_it.schema_version (k, v) VALUES (0, '%s')`, version)
			if itErr = execAll(h, w, []query{cqlQuery("V", map[string]any{"cql": mark, "format": "table"})}); itErr != nil {
				return
			}
			fmt.Printf("conformance: schema of %s created through the plugin in %v\n", itKeyspace, time.Since(t0).Round(time.Millisecond))
		}
		var qs []query
		for i, stmt := range itData() {
			qs = append(qs, cqlQuery(fmt.Sprintf("W%d", i), map[string]any{"cql": stmt, "format": "table"}))
		}
		itErr = execAll(h, w, qs)
	})
	if itErr != nil {
		t.Fatalf("cannot create keyspace %s through the plugin (data source with readOnly: false): %v", itKeyspace, itErr)
	}
	return s
}

// currentITSchema is the schema version stored in conformance_it, or "" when there is none.
func currentITSchema(h *pluginHost, s dsSettings) string {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	raw, err := h.data.QueryData(ctx, queryDataRequest(s, cqlQuery("V", map[string]any{
		"cql": "SELECT v FROM conformance_it.schema_version WHERE k = 0", "format": "table"})))
	if err != nil {
		return ""
	}
	res, err := backend.FromProto().QueryDataResponse(raw)
	if err != nil || res.Responses["V"].Error != nil || len(res.Responses["V"].Frames) != 1 {
		return ""
	}
	f := res.Responses["V"].Frames[0]
	if len(f.Fields) != 1 || f.Fields[0].Len() != 1 {
		return ""
	}
	if v, ok := f.Fields[0].ConcreteAt(0); ok {
		if s, ok := v.(string); ok {
			return s
		}
	}
	return ""
}

// execAll runs the queries in one request and returns an error unless every one answered 200 (no t.Fatal:
// it runs inside a sync.Once).
func execAll(h *pluginHost, s dsSettings, qs []query) error {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	raw, err := h.data.QueryData(ctx, queryDataRequest(s, qs...))
	if err != nil {
		return fmt.Errorf("QueryData RPC: %w", err)
	}
	for _, q := range qs {
		r, ok := raw.Responses[q.RefID]
		if !ok {
			return fmt.Errorf("no response for %s (%s)", q.RefID, q.JSON)
		}
		if r.Status != 200 || r.Error != "" {
			return fmt.Errorf("status %d, error %q for %s", r.Status, r.Error, q.JSON)
		}
	}
	return nil
}

// okFrame checks that refID answered 200 without error and with exactly one frame, and returns it.
func okFrame(t *testing.T, res *backend.QueryDataResponse, raw *pluginv2.QueryDataResponse, refID string) *data.Frame {
	t.Helper()
	r, ok := raw.Responses[refID]
	if !ok {
		t.Fatalf("no response for refId %s (responses for %v); Grafana alerting reads that as NoData", refID, keys(raw.Responses))
	}
	if r.Status != 200 || r.Error != "" {
		t.Fatalf("%s: status %d, source %q, error %q; want 200 and no error", refID, r.Status, r.ErrorSource, r.Error)
	}
	dr := res.Responses[refID]
	if len(dr.Frames) != 1 {
		t.Fatalf("%s: %d frames, want 1", refID, len(dr.Frames))
	}
	return dr.Frames[0]
}

// failedWith checks that refID failed with the status and error source and returns its error text.
func failedWith(t *testing.T, raw *pluginv2.QueryDataResponse, refID string, status int32, source backend.ErrorSource) string {
	t.Helper()
	r, ok := raw.Responses[refID]
	if !ok {
		t.Fatalf("no response for refId %s (responses for %v)", refID, keys(raw.Responses))
	}
	t.Logf("%s: status %d, source %q, error %q", refID, r.Status, r.ErrorSource, r.Error)
	if r.Status != status {
		t.Errorf("%s: status %d, want %d", refID, r.Status, status)
	}
	if r.ErrorSource != string(source) {
		t.Errorf("%s: errorSource %q, want %q", refID, r.ErrorSource, source)
	}
	if r.Error == "" {
		t.Errorf("%s: empty error text", refID)
	}
	return r.Error
}

// rowCount is the frame's row count; unequal field lengths fail the test.
func rowCount(t *testing.T, f *data.Frame) int {
	t.Helper()
	n, err := f.RowLen()
	if err != nil {
		t.Fatalf("frame %q: %v", f.Name, err)
	}
	return n
}

// fieldNames lists the frame's fields as name(type).
func fieldNames(f *data.Frame) []string {
	out := make([]string, len(f.Fields))
	for i, fl := range f.Fields {
		out[i] = fmt.Sprintf("%s(%s)", fl.Name, fl.Type().ItemTypeString())
	}
	return out
}

// metaNotices returns the frame's notices (none without meta).
func metaNotices(f *data.Frame) []data.Notice {
	if f.Meta == nil {
		return nil
	}
	return f.Meta.Notices
}

// executedQuery is meta.executedQueryString ("" without meta).
func executedQuery(f *data.Frame) string {
	if f.Meta == nil {
		return ""
	}
	return f.Meta.ExecutedQueryString
}

// jsonEqual compares two JSON texts by value: objects regardless of key order, numbers exactly by their
// decimal value (1.0 equals 1; 9007199254740993 does not equal 9007199254740992).
func jsonEqual(a, b []byte) (bool, error) {
	decode := func(x []byte) (any, error) {
		d := json.NewDecoder(bytes.NewReader(x))
		d.UseNumber()
		var v any
		if err := d.Decode(&v); err != nil {
			return nil, err
		}
		return v, nil
	}
	va, err := decode(a)
	if err != nil {
		return false, fmt.Errorf("invalid JSON %q: %w", a, err)
	}
	vb, err := decode(b)
	if err != nil {
		return false, fmt.Errorf("invalid JSON %q: %w", b, err)
	}
	return jsonValuesEqual(va, vb), nil
}

func jsonValuesEqual(a, b any) bool {
	switch x := a.(type) {
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		rx, okx := new(big.Rat).SetString(x.String())
		ry, oky := new(big.Rat).SetString(y.String())
		return okx && oky && rx.Cmp(ry) == 0
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsonValuesEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !jsonValuesEqual(v, w) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

// cqlString quotes s as a CQL string literal.
func cqlString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
