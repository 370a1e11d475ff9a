package conformance

import (
	"encoding/json"
	"reflect"
	"sort"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// stringColumn returns a string field's values (null as ""), failing unless the field is a string field.
func stringColumn(t *testing.T, fl *data.Field) []string {
	t.Helper()
	if fl.Type() != data.FieldTypeString && fl.Type() != data.FieldTypeNullableString {
		t.Fatalf("field %s is %s, want string", fl.Name, fl.Type().ItemTypeString())
	}
	out := make([]string, fl.Len())
	for i := range out {
		if v, ok := fl.ConcreteAt(i); ok {
			out[i] = v.(string)
		}
	}
	return out
}

// TestCQLVariableQuery: a query variable runs as a table query; the frontend takes the options from the
// columns "__value" and "__text" (README "Variables"), which CQL keeps only double-quoted. A value quoted by
// the frontend's variable formatting stays one literal at the node.
func TestCQLVariableQuery(t *testing.T) {
	requireDemo(t)
	s := cqlSettings(t, nil, nil)
	res, raw := queryData(t, s,
		cqlQuery("Var", map[string]any{"cql": `SELECT sensor_id AS "__value", location AS "__text" FROM demo.sensors`, "format": "table"}),
		cqlQuery("Chained", map[string]any{"cql": `SELECT sensor_id FROM demo.sensors WHERE sensor_id IN ('plant-line-1','plant-line-2')`, "format": "table"}),
		cqlQuery("Injected", map[string]any{"cql": `SELECT sensor_id FROM demo.sensors WHERE sensor_id = 'x'' OR ''a''=''a'`, "format": "table"}),
	)
	f := okFrame(t, res, raw, "Var")
	if len(f.Fields) != 2 || f.Fields[0].Name != "__value" || f.Fields[1].Name != "__text" {
		t.Fatalf("fields %v, want __value and __text (the names the frontend reads)", fieldNames(f))
	}
	values, texts := stringColumn(t, f.Fields[0]), stringColumn(t, f.Fields[1])
	got := append([]string(nil), values...)
	sort.Strings(got)
	want := append([]string(nil), demoSensors...)
	sort.Strings(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("__value %v, want the demo's sensors %v", got, want)
	}
	for i, v := range values {
		if v == "plant-line-1" && texts[i] != "Plant, assembly line 1" {
			t.Errorf("__text of plant-line-1 is %q, want its location %q", texts[i], "Plant, assembly line 1")
		}
	}
	if c := okFrame(t, res, raw, "Chained"); rowCount(t, c) != 2 {
		t.Errorf("chained variable query: %d rows, want 2", rowCount(t, c))
	}
	if c := okFrame(t, res, raw, "Injected"); rowCount(t, c) != 0 {
		t.Errorf("a quoted injection attempt matched %d rows, want 0 (one literal)", rowCount(t, c))
	}
}

// TestCQLResourcesDemo: the editor's schema resources on the demo keyspace, as README "Schema resources"
// describes them: sorted names, columns with CQL type text and kind, keys first in key order.
func TestCQLResourcesDemo(t *testing.T) {
	requireDemo(t)
	s := cqlSettings(t, nil, nil)

	t.Run("keyspaces", func(t *testing.T) {
		res := callResource(t, s, "keyspaces")
		checkCQLResource(t, res)
		var names []string
		if err := json.Unmarshal(res.Body, &names); err != nil {
			t.Fatalf("keyspaces: want a JSON array of names: %v", err)
		}
		if !sort.StringsAreSorted(names) {
			t.Errorf("keyspaces not sorted: %v", names)
		}
		for _, k := range []string{"demo", "system", "system_schema"} {
			if !contains(names, k) {
				t.Errorf("keyspaces %v lack %s", names, k)
			}
		}
	})

	t.Run("tables", func(t *testing.T) {
		res := callResource(t, s, "tables?keyspace=demo")
		checkCQLResource(t, res)
		var names []string
		if err := json.Unmarshal(res.Body, &names); err != nil {
			t.Fatalf("tables: want a JSON array of names: %v", err)
		}
		if !sort.StringsAreSorted(names) {
			t.Errorf("tables not sorted: %v", names)
		}
		for _, tb := range []string{"all_types", "events", "page_hits", "sensor_readings", "sensors"} {
			if !contains(names, tb) {
				t.Errorf("tables of demo %v lack %s", names, tb)
			}
		}
	})

	type column struct {
		Name string `json:"name"`
		Type string `json:"type"`
		Kind string `json:"kind"`
	}
	t.Run("columns", func(t *testing.T) {
		res := callResource(t, s, "columns?keyspace=demo&table=sensor_readings")
		checkCQLResource(t, res)
		var cols []column
		if err := json.Unmarshal(res.Body, &cols); err != nil {
			t.Fatalf("columns: want a JSON array of {name, type, kind}: %v", err)
		}
		want := []column{
			{"sensor_id", "text", "partition_key"},
			{"day", "date", "partition_key"},
			{"ts", "timestamp", "clustering"},
			{"battery", "int", "regular"},
			{"humidity", "float", "regular"},
			{"pressure", "double", "regular"},
			{"site", "text", "regular"},
			{"status", "text", "regular"},
			{"temperature", "double", "regular"},
		}
		if !reflect.DeepEqual(cols, want) {
			t.Errorf("columns of demo.sensor_readings\n got %+v\nwant %+v", cols, want)
		}
	})

	t.Run("column types", func(t *testing.T) {
		res := callResource(t, s, "columns?keyspace=demo&table=all_types")
		checkCQLResource(t, res)
		var cols []column
		if err := json.Unmarshal(res.Body, &cols); err != nil {
			t.Fatalf("columns: %v", err)
		}
		types := map[string]string{}
		for _, c := range cols {
			types[c.Name] = c.Type
		}
		for name, typ := range map[string]string{
			"id":            "int",
			"c_nested":      "frozen<map<text, frozen<list<int>>>>",
			"c_list_of_set": "list<frozen<set<text>>>",
			"c_tuple":       "frozen<tuple<int, text>>",
			"c_udt":         "frozen<address>",
			"c_vector":      "vector<float, 3>",
		} {
			if types[name] != typ {
				t.Errorf("column %s: type %q, want %q (CQL text)", name, types[name], typ)
			}
		}
	})

	t.Run("errors", func(t *testing.T) {
		for path, code := range map[string]int{
			"tables":                          400,
			"columns?keyspace=demo":           400,
			"tables?keyspace=no_such_ks":      404,
			"columns?keyspace=demo&table=nop": 404,
		} {
			res := callResource(t, s, path)
			var body map[string]any
			if res.Code != code {
				t.Errorf("%s: code %d, want %d; body %s", path, res.Code, code, res.Body)
			}
			if err := json.Unmarshal(res.Body, &body); err != nil || body["error"] == nil {
				t.Errorf("%s: body %s, want {\"error\": \"…\"}", path, res.Body)
			}
		}
		if res := callResourceMethod(t, s, "POST", "keyspaces", nil); res.Code != 405 {
			t.Errorf("POST keyspaces: code %d, want 405; body %s", res.Code, res.Body)
		}
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
