package conformance

import (
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// The README's "Types" table as Grafana decodes it: every CQL type of conformance_it.types, its Go field type
// (every field nullable) and the value of row k = 1. JSON values are compared by value (jsonEqual).
type cqlTypeCase struct {
	col  string
	typ  data.FieldType
	want any
}

var cqlTypeCases = []cqlTypeCase{
	{"k", data.FieldTypeNullableInt32, int32(1)},
	{"a", data.FieldTypeNullableString, "abc"},
	{"t", data.FieldTypeNullableString, `ünïcödé "q"`},
	{"vc", data.FieldTypeNullableString, "v"},
	{"ti", data.FieldTypeNullableInt8, int8(-7)},
	{"si", data.FieldTypeNullableInt16, int16(300)},
	{"i", data.FieldTypeNullableInt32, int32(-100000)},
	{"bi", data.FieldTypeNullableInt64, int64(9007199254740993)},
	{"f", data.FieldTypeNullableFloat32, float32(1.5)},
	{"d", data.FieldTypeNullableFloat64, -2.25},
	{"dec", data.FieldTypeNullableFloat64, 12.345},
	{"vi", data.FieldTypeNullableFloat64, 1.2345678901234568e29},
	{"b", data.FieldTypeNullableBool, true},
	{"ts", data.FieldTypeNullableTime, time.Date(2024, 1, 2, 3, 4, 5, 678_000_000, time.UTC)},
	{"dt", data.FieldTypeNullableTime, time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)}, // UTC midnight
	{"tm", data.FieldTypeNullableString, "13:45:07.000000123"},
	{"du", data.FieldTypeNullableString, "1mo2d3h"},
	{"u", data.FieldTypeNullableString, "0e2f8c1a-7b3d-4c5e-9f60-a1b2c3d4e5f6"},
	{"tu", data.FieldTypeNullableString, "5f1e8a40-a9c9-11ee-8c90-0242ac120002"},
	{"ip", data.FieldTypeNullableString, "10.1.2.3"},
	{"bl", data.FieldTypeNullableString, "0xcafe00"},
	{"l", data.FieldTypeNullableJSON, json.RawMessage(`[3,1,2]`)},
	{"s", data.FieldTypeNullableJSON, json.RawMessage(`["a","b"]`)},
	{"m", data.FieldTypeNullableJSON, json.RawMessage(`{"x":1,"y":2}`)},
	{"mi", data.FieldTypeNullableJSON, json.RawMessage(`{"1":"one","2":"two"}`)}, // non-text keys as JSON text
	{"mk", data.FieldTypeNullableJSON, json.RawMessage(`{"[1,2]":3}`)},
	{"nest", data.FieldTypeNullableJSON, json.RawMessage(`{"k":[2,1]}`)},
	{"tup", data.FieldTypeNullableJSON, json.RawMessage(`[7,null,"2024-01-02T03:04:05.678Z"]`)},
	{"udt", data.FieldTypeNullableJSON, json.RawMessage(`{"street":"Main St","zip":12345,"tags":["home"]}`)},
	{"v", data.FieldTypeNullableJSON, json.RawMessage(`[1,-2.5,3.25]`)},
	{"ld", data.FieldTypeNullableJSON, json.RawMessage(`[1.5,"NaN","-Infinity"]`)},
	{"dl", data.FieldTypeNullableJSON, json.RawMessage(`["2024-02-29"]`)},
	// inside JSON: other types as their strings, decimal and varint exact
	{"tx", data.FieldTypeNullableJSON, json.RawMessage(`["192.168.0.1","0x00ff","00:00:01.000000000","1h30m",
		"0e2f8c1a-7b3d-4c5e-9f60-a1b2c3d4e5f6",12.345,123456789012345678901234567890,9007199254740993]`)},
}

func cqlTypeColumns() string {
	cols := make([]string, len(cqlTypeCases))
	for i, c := range cqlTypeCases {
		cols[i] = c.col
	}
	return strings.Join(cols, ", ")
}

// checkTypedFields checks that the frame has exactly the type table's fields, in order, with their types.
func checkTypedFields(t *testing.T, f *data.Frame) bool {
	t.Helper()
	if len(f.Fields) != len(cqlTypeCases) {
		t.Errorf("frame has %d fields %v, want %d (%s)", len(f.Fields), fieldNames(f), len(cqlTypeCases), cqlTypeColumns())
		return false
	}
	ok := true
	for i, c := range cqlTypeCases {
		fl := f.Fields[i]
		if fl.Name != c.col {
			t.Errorf("field %d: name %q, want %q", i, fl.Name, c.col)
			ok = false
		}
		if fl.Type() != c.typ {
			t.Errorf("field %q: Go type %s, want %s (README \"Types\")", c.col, fl.Type().ItemTypeString(), c.typ.ItemTypeString())
			ok = false
		}
	}
	return ok
}

func typesQuery(where string) map[string]any {
	return map[string]any{"cql": "SELECT " + cqlTypeColumns() + " FROM conformance_it.types WHERE " + where, "format": "table"}
}

// TestCQLTypesValues: one row with a value in every CQL type arrives with the README's field types and values,
// as a table frame named after the refId.
func TestCQLTypesValues(t *testing.T) {
	s := requireITSchema(t)
	q := typesQuery("k = 1")
	res, raw := queryData(t, s, cqlQuery("A", q))
	f := okFrame(t, res, raw, "A")
	if f.Name != "A" || f.RefID != "A" {
		t.Errorf("frame name %q refId %q, want A and A", f.Name, f.RefID)
	}
	if f.Meta == nil || f.Meta.PreferredVisualization != data.VisTypeTable {
		t.Errorf("meta %+v, want preferredVisualisationType table", f.Meta)
	}
	if got := executedQuery(f); got != q["cql"] {
		t.Errorf("executedQueryString %q, want the query as sent %q", got, q["cql"])
	}
	if !checkTypedFields(t, f) {
		return
	}
	if n := rowCount(t, f); n != 1 {
		t.Fatalf("%d rows, want 1", n)
	}
	for _, c := range cqlTypeCases {
		fl, _ := f.FieldByName(c.col)
		got := fl.At(0)
		if want, isJSON := c.want.(json.RawMessage); isJSON {
			g, ok := got.(*json.RawMessage)
			if !ok || g == nil {
				t.Errorf("%s: %v (%T), want JSON %s", c.col, got, got, want)
				continue
			}
			if eq, err := jsonEqual(*g, want); err != nil || !eq {
				t.Errorf("%s: JSON %s, want %s (%v)", c.col, *g, want, err)
			}
			continue
		}
		if msg := compareValue(c.want, got); msg != "" {
			t.Errorf("%s: %s", c.col, msg)
		}
	}
	if fl, _ := f.FieldByName("dt"); fl == nil {
		t.Errorf("no field dt")
	} else if dt, ok := fl.ConcreteAt(0); ok {
		if d := dt.(time.Time); d.UTC().Hour() != 0 || d.UTC().Minute() != 0 || d.UTC().Nanosecond() != 0 {
			t.Errorf("date %v is not UTC midnight", d)
		}
	}
}

// TestCQLTypesNulls: a row with only its key set arrives with every other cell null, in the same typed fields
// (NULL stays null; it never becomes 0, "" or false).
func TestCQLTypesNulls(t *testing.T) {
	s := requireITSchema(t)
	res, raw := queryData(t, s, cqlQuery("A", typesQuery("k = 2")))
	f := okFrame(t, res, raw, "A")
	if !checkTypedFields(t, f) {
		return
	}
	if n := rowCount(t, f); n != 1 {
		t.Fatalf("%d rows, want 1", n)
	}
	if msg := compareValue(int32(2), f.Fields[0].At(0)); msg != "" {
		t.Errorf("k: %s", msg)
	}
	for _, fl := range f.Fields[1:] {
		if msg := compareValue(nil, fl.At(0)); msg != "" {
			t.Errorf("%s: %s", fl.Name, msg)
		}
	}
}

// TestCQLTypesEmptyResult: no rows still gives the typed fields (a panel keeps its columns, Grafana's
// expressions see the types).
func TestCQLTypesEmptyResult(t *testing.T) {
	s := requireITSchema(t)
	res, raw := queryData(t, s, cqlQuery("A", typesQuery("k = 999")))
	f := okFrame(t, res, raw, "A")
	checkTypedFields(t, f)
	if n := rowCount(t, f); n != 0 {
		t.Errorf("%d rows, want 0", n)
	}
}

// TestCQLTypesCounter: counter columns are int64; a counter never incremented is null.
func TestCQLTypesCounter(t *testing.T) {
	s := requireITSchema(t)
	res, raw := queryData(t, s, cqlQuery("A", map[string]any{"cql": fmt.Sprintf("SELECT k, hits, misses FROM conformance_it.ctr WHERE k = %d", itCounterKey), "format": "table"}))
	f := okFrame(t, res, raw, "A")
	want := []cqlTypeCase{
		{"k", data.FieldTypeNullableInt64, itCounterKey},
		{"hits", data.FieldTypeNullableInt64, int64(5)},
		{"misses", data.FieldTypeNullableInt64, nil},
	}
	if len(f.Fields) != len(want) || rowCount(t, f) != 1 {
		t.Fatalf("fields %v with %d rows, want k, hits, misses and 1 row", fieldNames(f), rowCount(t, f))
	}
	for i, w := range want {
		fl := f.Fields[i]
		if fl.Name != w.col || fl.Type() != w.typ {
			t.Errorf("field %d: %s %s, want %s %s", i, fl.Name, fl.Type().ItemTypeString(), w.col, w.typ.ItemTypeString())
			continue
		}
		if msg := compareValue(w.want, fl.At(0)); msg != "" {
			t.Errorf("%s: %s", w.col, msg)
		}
	}
}

// TestCQLTypesTimestampOutOfRange: a timestamp Grafana's nanosecond time cannot hold (year 1500) becomes null
// with a notice, not a wrapped-around date. The row's IPv6 inet is a string naming the same address.
func TestCQLTypesTimestampOutOfRange(t *testing.T) {
	s := requireITSchema(t)
	res, raw := queryData(t, s, cqlQuery("A", map[string]any{"cql": "SELECT k, ts, ip FROM conformance_it.types WHERE k = 3", "format": "table"}))
	f := okFrame(t, res, raw, "A")
	if rowCount(t, f) != 1 || len(f.Fields) != 3 {
		t.Fatalf("fields %v, %d rows; want k, ts, ip and 1 row", fieldNames(f), rowCount(t, f))
	}
	// The README gives inet no text form; any form of the same address is accepted (logged for the report).
	if ip, ok := f.Fields[2].ConcreteAt(0); !ok || f.Fields[2].Type() != data.FieldTypeNullableString {
		t.Errorf("ip: %v (%s), want a string", f.Fields[2].At(0), f.Fields[2].Type().ItemTypeString())
	} else if parsed := net.ParseIP(ip.(string)); parsed == nil || !parsed.Equal(net.ParseIP("2001:db8::1")) {
		t.Errorf("ip: %q is not the address 2001:db8::1", ip)
	} else {
		t.Logf("inet 2001:db8::1 arrives as %q", ip)
	}
	ts := f.Fields[1]
	if ts.Type() != data.FieldTypeNullableTime {
		t.Fatalf("ts: %s, want *time.Time", ts.Type().ItemTypeString())
	}
	if msg := compareValue(nil, ts.At(0)); msg != "" {
		t.Errorf("ts of year 1500: %s (README: values outside 1677-2262 become null)", msg)
	}
	if len(metaNotices(f)) == 0 {
		t.Errorf("no notice for the timestamp that became null")
	}
	t.Logf("notices: %+v", metaNotices(f))
}
