// Command bench measures the packaged plugin as Grafana sees it: it starts dist/gpx_cql_<os>_<arch> through
// go-plugin exactly as Grafana does (the conformance host's launch code, internal/pluginhost), sends QueryData
// over gRPC, decodes every answer with grafana-plugin-sdk-go, and runs the same queries, interleaved, on the bare
// java-driver (io.opencql.cql.bench.BareDriver, one JVM started once) against the same node, with the same page
// size; rows and sums are checked identical. It prints min/median/max, percentiles, ratios and the load average.
// Run it with tools/bench-e2e.sh, which builds what it needs.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/opencql/cql-datasource/conformance/internal/pluginhost"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

var (
	dist       = flag.String("dist", envOr("PLUGIN_DIST", "../dist"), "the packaged plugin's folder (dist/)")
	host       = flag.String("host", envOr("CQL_TEST_HOST", "127.0.0.1:19042"), "CQL node host:port")
	user       = flag.String("user", envOr("CQL_TEST_USER", "cassandra"), "CQL user")
	password   = flag.String("password", envOr("CQL_TEST_PASSWORD", "cassandra"), "CQL password")
	driverCP   = flag.String("driver-cp", os.Getenv("BENCH_DRIVER_CP"), "class path of io.opencql.cql.bench.BareDriver and Hello")
	helloCP    = flag.String("hello-cp", os.Getenv("BENCH_HELLO_CP"), "class path of io.opencql.cql.bench.Hello alone (default: -driver-cp)")
	javaBin    = flag.String("java", envOr("BENCH_JAVA", "java"), "java for the bare driver")
	starts     = flag.Int("starts", 10, "exec → handshake runs (and hello-world runs)")
	selftests  = flag.Int("selftest", 300, "selftest round trips")
	smalls     = flag.Int("small", 200, "one-at-a-time 100-row queries per side")
	panels     = flag.Int("panels", 20, "concurrent panels")
	rounds     = flag.Int("rounds", 50, "dashboard refreshes (rounds of concurrent panels) per side")
	bigRuns    = flag.Int("big", 5, "1M-row runs per side and shape")
	partitions = flag.Int("partitions", 10, "partitions (sensors) of bench.m1")
	perPart    = flag.Int("rows-per-partition", 100000, "rows per partition of bench.m1")
	jfr        = flag.String("jfr", "", "record the plugin with JDK Flight Recorder (profile settings) during the panels and write it here")
	peerExe    = flag.String("peer", os.Getenv("BENCH_PEER_PLUGIN"), "optional: the executable of another CQL backend plugin (HadesArchitect's Go plugin, gocql) to run beside ours")
	skipBig    = flag.Bool("skip-big", false, "skip the 1M-row figures")
	only       = flag.String("only", "", "run only these figures, comma-separated: startup, selftest, small, panels, big, partitions (default: all)")
	peerOurs   = flag.Bool("peer-ours", false, "the peer is another build of this plugin (e.g. main's dist/gpx_cql_linux_amd64), asked the same queries: before/after a change, interleaved")
)

const (
	smallCQL  = "SELECT sensor, ts, v FROM bench.m1 WHERE p = 0 LIMIT 100"
	panelCQL  = "SELECT sensor, ts, v FROM bench.m1 WHERE p = %d LIMIT 100"
	bigCQL    = "SELECT sensor, ts, v FROM bench.m1"
	bigTSCQL  = "SELECT ts, sensor, v FROM bench.m1"
	pageSize  = 5000
	rpcTimout = 5 * time.Minute
)

// want: the figure is to be measured (flag -only names it, or is empty).
func want(figure string) bool {
	if *only == "" {
		return true
	}
	for _, f := range strings.Split(*only, ",") {
		if strings.TrimSpace(f) == figure {
			return true
		}
	}
	return false
}

// inCQL names every partition of bench.m1 in one IN, shuffled (the node answers them in key order).
func inCQL() string {
	ps := make([]string, *partitions)
	for i := range ps {
		ps[i] = strconv.Itoa((i*7 + 3) % *partitions)
	}
	return "SELECT sensor, ts, v FROM bench.m1 WHERE p IN (" + strings.Join(ps, ", ") + ")"
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func main() {
	flag.Parse()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run() error {
	rep := &report{}
	fmt.Printf("machine: %d cores, load average at start %s\n", nproc(), loadavg())
	exe := pluginhost.Executable(*dist)
	if _, err := os.Stat(exe); err != nil {
		return fmt.Errorf("packaged plugin not found (build it: mvn -B -o -pl backend/plugin -am package -DskipTests): %w", err)
	}

	drv, err := startDriver()
	if err != nil {
		return err
	}
	defer drv.quit()
	seed, err := drv.call(fmt.Sprintf("seed %d %d", *partitions, *perPart))
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	fmt.Printf("data: bench.m1 %v\n", seed)

	// ---- start-up: exec → handshake line, interleaved with a JVM hello-world with the launcher's flags
	if want("startup") {
		if err := startup(rep, exe, *peerExe); err != nil {
			return err
		}
	}

	// ---- the plugins as Grafana runs them
	var env []string
	if o := os.Getenv("GF_PLUGIN_JVM_OPTS"); o != "" {
		env = append(env, "GF_PLUGIN_JVM_OPTS="+o) // as grafana.ini's [plugin.opencql-cql-datasource] jvm_opts
	}
	if o := os.Getenv("GF_PLUGIN_MAX_RESPONSE_MB"); o != "" {
		env = append(env, "GF_PLUGIN_MAX_RESPONSE_MB="+o) // as grafana.ini's max_response_mb
	}
	ours, err := startTarget(exe, oursShape, env)
	if err != nil {
		return err
	}
	defer ours.h.Kill()
	var peer *target
	if *peerExe != "" {
		sh := peerShape
		if *peerOurs {
			sh = oursShape
		}
		if peer, err = startTarget(*peerExe, sh, env); err != nil {
			return fmt.Errorf("peer plugin: %w", err)
		}
		defer peer.h.Kill()
	}
	start := row{figure: "go-plugin start (exec, handshake, dial, dispense)", plugin: one(ours.h.StartTook), load: loadavg()}
	rss := row{figure: "resident memory once the host has connected", pluginText: mib(procStatus(ours.pid(), "VmRSS")), load: loadavg()}
	if peer != nil {
		start.peer = one(peer.h.StartTook)
		rss.peerText = mib(procStatus(peer.pid(), "VmRSS"))
	}
	rep.add(start)
	rep.add(rss)

	// selftest: the protocol round trip without a database, alternating with gRPC's own health check (served by
	// grpc-java's service on the same transport, none of our code: the floor under any handler). With -peer-ours
	// the peer (another build of ours) is asked the same, call by call in turn
	var st, hc, pst, phc []time.Duration
	both := []*target{ours}
	if peer != nil && *peerOurs {
		both = append(both, peer)
	}
	for i := 0; want("selftest") && i < *selftests+50; i++ {
		for _, t := range both {
			d, dh, err := selftestAndCheck(t)
			if err != nil {
				return fmt.Errorf("%s: %w", t.shape.name, err)
			}
			if i < 50 {
				continue
			}
			if t == ours {
				st, hc = append(st, d), append(hc, dh)
			} else {
				pst, phc = append(pst, d), append(phc, dh)
			}
		}
	}
	if want("selftest") {
		rep.add(row{figure: fmt.Sprintf("selftest QueryData round trip, %d sequential (p50 / p99)", len(st)), plugin: st, peer: pst, pct: true, load: loadavg()})
		rep.add(row{figure: fmt.Sprintf("gRPC health Check round trip (grpc-java's service: the transport's floor), %d, alternating with the selftests (p50 / p99)", len(hc)),
			plugin: hc, peer: phc, pct: true, load: loadavg()})
	}

	// first query: each plugin opens its session here
	first := row{figure: "first query of a data source (opens the session)", load: loadavg()}
	for _, t := range targets(ours, peer) {
		d, _, err := t.query(t.shape.small())
		if err != nil {
			return fmt.Errorf("%s: %w", t.shape.name, err)
		}
		if t == ours {
			first.plugin = one(d)
		} else {
			first.peer = one(d)
		}
	}
	rep.add(first)

	// ---- one small query at a time, interleaved in blocks of 10
	if want("small") {
		small := row{figure: "one 100-row query, one at a time (p50 / p99)", pct: true, load: loadavg()}
		for _, t := range targets(ours, peer) {
			for i := 0; i < 20; i++ { // warm-up
				if _, _, err := t.query(t.shape.small()); err != nil {
					return err
				}
			}
		}
		if _, err := drv.call("query 20 " + smallCQL); err != nil {
			return err
		}
		for done := 0; done < *smalls; done += 10 {
			a, err := drv.call("query 10 " + smallCQL)
			if err != nil {
				return err
			}
			small.driver = append(small.driver, a.durations()...)
			for _, t := range targets(ours, peer) {
				for i := 0; i < 10; i++ {
					d, r, err := t.query(t.shape.small())
					if err != nil {
						return err
					}
					got, err := r.tableSums()
					if err != nil {
						return err
					}
					if err := same(t.shape.name+": 100-row query", got, a.rowSums(), t.shape.ordered); err != nil {
						return err
					}
					if t == ours {
						small.plugin = append(small.plugin, d)
					} else {
						small.peer = append(small.peer, d)
					}
				}
			}
		}
		small.load += " → " + loadavg()
		rep.add(small)
	}

	// ---- a dashboard: panels concurrent queries, rounds refreshes, interleaved in blocks of 10 rounds
	if want("panels") {
		dash := row{figure: fmt.Sprintf("%d concurrent panels × %d rounds (100 rows each), per panel (p50 / p99)", *panels, *rounds), pct: true, load: loadavg()}
		if *jfr != "" {
			if err := jcmd(ours.pid(), "JFR.start", "name=bench", "settings=profile"); err != nil {
				return err
			}
		}
		for done := 0; done < *rounds; done += 10 {
			n := min(10, *rounds-done)
			a, err := drv.call(fmt.Sprintf("panels %d %d %d %s", *panels, n, *partitions, panelCQL))
			if err != nil {
				return err
			}
			if a.Rows != int64(*panels*100) {
				return fmt.Errorf("dashboard: driver read %d rows per round, want %d", a.Rows, *panels*100)
			}
			dash.driver = append(dash.driver, a.durations()...)
			for _, t := range targets(ours, peer) {
				ds, rows, err := t.dashboard(*panels, n)
				if err != nil {
					return err
				}
				if rows != int64(*panels*n*100) {
					return fmt.Errorf("dashboard: %s read %d rows, want %d", t.shape.name, rows, *panels*n*100)
				}
				if t == ours {
					dash.plugin = append(dash.plugin, ds...)
				} else {
					dash.peer = append(dash.peer, ds...)
				}
			}
		}
		if *jfr != "" {
			if err := jcmd(ours.pid(), "JFR.dump", "name=bench", "filename="+*jfr); err != nil {
				return err
			}
			jcmd(ours.pid(), "JFR.stop", "name=bench")
		}
		dash.load += " → " + loadavg()
		rep.add(dash)
	}

	// ---- 1M rows, table and time series, interleaved with the driver's iteration of the same rows
	if !*skipBig && want("big") {
		table := row{figure: "1,000,000 rows (text, timestamp, double) as a table", load: loadavg()}
		series := row{figure: "1,000,000 rows as a time series (wide, 10 series)"}
		want := int64(*partitions) * int64(*perPart)
		for i := 0; i < *bigRuns; i++ {
			a, err := drv.call("query 1 " + bigCQL)
			if err != nil {
				return err
			}
			table.driver = append(table.driver, a.durations()...)
			series.driver = append(series.driver, a.durations()...)
			for _, t := range targets(ours, peer) {
				d, r, err := t.query(t.shape.big())
				if err != nil {
					return err
				}
				got, err := r.tableSums()
				if err != nil {
					return err
				}
				if got.Rows != want {
					return fmt.Errorf("%s: 1M table: %d rows, want %d", t.shape.name, got.Rows, want)
				}
				if err := same(t.shape.name+": 1M table", got, a.rowSums(), t.shape.ordered); err != nil {
					return err
				}
				if t == ours {
					// exactly the default rowLimit (1,000,000) rows: nothing was cut, so no "limited" notice
					if err := r.noLimitNotice(); err != nil {
						return err
					}
					table.plugin = append(table.plugin, d)
				} else {
					table.peer = append(table.peer, d)
				}
			}
			d, r, err := ours.query(cqlQuery("A", bigTSCQL, "time_series"))
			if err != nil {
				return err
			}
			ts, err := r.seriesSums()
			if err != nil {
				return err
			}
			if err := same("1M time series", ts, sums{Rows: a.Rows, SumV: a.SumV}, false); err != nil {
				return err
			}
			series.plugin = append(series.plugin, d)
		}
		table.load += " → " + loadavg()
		series.load = loadavg()
		rep.add(table)
		rep.add(series)
	}
	// ---- every partition named by one IN: this plugin reads them one statement per partition (setting
	// partitionReads, default 4) and merges them in the node's order; the bare driver runs the single statement
	if want("partitions") {
		cql := inCQL()
		in := row{figure: fmt.Sprintf("%d partitions by one IN, 1,000,000 rows as a table (plugin: partitionReads 4; driver: one statement)", *partitions), load: loadavg()}
		// the same plugin process, a second data source that sends the single statement: what splitting itself gains
		single := row{figure: "the same IN, this plugin with partitionReads 0 (one statement)"}
		singlePC := settings()
		jd, _ := json.Marshal(map[string]any{"contactPoints": *host, "connectTimeoutSeconds": 10, "pageSize": pageSize, "partitionReads": 0})
		singlePC.DataSourceInstanceSettings.Id, singlePC.DataSourceInstanceSettings.Uid, singlePC.DataSourceInstanceSettings.JsonData = 2, "bench-single", jd
		rows := int64(*partitions) * int64(*perPart)
		check := func(what string, r answer, a driverAnswer) error {
			got, err := r.tableSums()
			if err != nil {
				return err
			}
			if got.Rows != rows {
				return fmt.Errorf("%s: %d rows, want %d", what, got.Rows, rows)
			}
			// ordered: the merged rows are the single statement's, in its order
			if err := same(what, got, a.rowSums(), true); err != nil {
				return err
			}
			return r.noLimitNotice()
		}
		for i := 0; i < *bigRuns; i++ {
			a, err := drv.call("query 1 " + cql)
			if err != nil {
				return err
			}
			in.driver = append(in.driver, a.durations()...)
			single.driver = append(single.driver, a.durations()...)
			d, r, err := ours.query(cqlQuery("A", cql, "table"))
			if err != nil {
				return err
			}
			if err := check("IN table, split", r, a); err != nil {
				return err
			}
			in.plugin = append(in.plugin, d)
			d, r, err = queryData(ours.h, singlePC, cqlQuery("A", cql, "table"))
			if err != nil {
				return err
			}
			if err := check("IN table, one statement", r, a); err != nil {
				return err
			}
			single.plugin = append(single.plugin, d)
		}
		in.load += " → " + loadavg()
		single.load = loadavg()
		rep.add(in)
		rep.add(single)
	}
	peak := row{figure: "peak resident memory (VmHWM) after all of the above", pluginText: mib(procStatus(ours.pid(), "VmHWM")), load: loadavg()}
	if peer != nil {
		peak.peerText = mib(procStatus(peer.pid(), "VmHWM"))
	}
	rep.add(peak)
	rep.print()
	return nil
}

// shape is how one plugin is asked for the benchmark's queries.
type shape struct {
	name     string
	settings func() *pluginv2.PluginContext
	small    func() *pluginv2.DataQuery
	panel    func(i int) *pluginv2.DataQuery
	big      func() *pluginv2.DataQuery
	// ordered: rows come back in the node's order (sums compared exactly); else sums of integers exactly and
	// of doubles to 1e-9
	ordered bool
}

var oursShape = shape{
	name:     "this plugin",
	settings: settings,
	small:    func() *pluginv2.DataQuery { return cqlQuery("A", smallCQL, "table") },
	panel:    func(i int) *pluginv2.DataQuery { return cqlQuery("A", fmt.Sprintf(panelCQL, i), "table") },
	big:      func() *pluginv2.DataQuery { return cqlQuery("A", bigCQL, "table") },
	ordered:  true,
}

// peerShape: HadesArchitect's plugin takes a raw query whose first column is the series id, answers one frame
// per id (in map order) with every column, and reads host:port from the data source URL.
var peerShape = shape{
	name:     "peer plugin",
	settings: peerSettings,
	small: func() *pluginv2.DataQuery {
		return peerQuery("SELECT sensor, v, ts FROM bench.m1 WHERE p = 0 LIMIT 100")
	},
	panel: func(i int) *pluginv2.DataQuery {
		return peerQuery(fmt.Sprintf("SELECT sensor, v, ts FROM bench.m1 WHERE p = %d LIMIT 100", i))
	},
	big: func() *pluginv2.DataQuery { return peerQuery("SELECT sensor, v, ts FROM bench.m1") },
}

func peerSettings() *pluginv2.PluginContext {
	jd, _ := json.Marshal(map[string]any{"keyspace": "bench", "user": *user, "consistency": "LOCAL_ONE", "timeout": 60})
	return &pluginv2.PluginContext{
		OrgId: 1, PluginId: "hadesarchitect-cassandra-datasource", PluginVersion: "bench",
		User:          &pluginv2.User{Login: "admin", Name: "admin", Role: "Admin"},
		GrafanaConfig: map[string]string{},
		DataSourceInstanceSettings: &pluginv2.DataSourceInstanceSettings{
			Id: 2, Uid: "peer", Name: "peer", Url: *host, JsonData: jd,
			DecryptedSecureJsonData: map[string]string{"password": *password}, LastUpdatedMS: 1,
		},
	}
}

func peerQuery(cql string) *pluginv2.DataQuery {
	m, _ := json.Marshal(map[string]any{"refId": "A", "rawQuery": true, "target": cql, "queryType": "query"})
	return pluginQuery("A", string(m), "query")
}

// target is one plugin process and how to query it.
type target struct {
	h     *pluginhost.Host
	pc    *pluginv2.PluginContext
	shape shape
}

func startTarget(exe string, sh shape, env []string) (*target, error) {
	h, err := pluginhost.Start(exe, os.Stderr, nil, env...)
	if err != nil {
		return nil, err
	}
	return &target{h: h, pc: sh.settings(), shape: sh}, nil
}

func (t *target) pid() int { return t.h.Cmd.Process.Pid }

func (t *target) query(q *pluginv2.DataQuery) (time.Duration, answer, error) {
	return queryData(t.h, t.pc, q)
}

func targets(ours, peer *target) []*target {
	if peer == nil {
		return []*target{ours}
	}
	return []*target{ours, peer}
}

// ---- the plugin side

func settings() *pluginv2.PluginContext {
	jd, _ := json.Marshal(map[string]any{"contactPoints": *host, "connectTimeoutSeconds": 10, "pageSize": pageSize})
	return &pluginv2.PluginContext{
		OrgId:         1,
		PluginId:      pluginhost.PluginID,
		PluginVersion: "bench",
		UserAgent:     "Grafana/" + pluginhost.GrafanaVersion + " (linux; amd64)",
		User:          &pluginv2.User{Login: "admin", Name: "admin", Role: "Admin"},
		GrafanaConfig: map[string]string{"GF_SQL_ROW_LIMIT": "1000000"},
		DataSourceInstanceSettings: &pluginv2.DataSourceInstanceSettings{
			Id: 1, Uid: "bench", Name: "CQL bench", JsonData: jd,
			DecryptedSecureJsonData: map[string]string{"username": *user, "password": *password},
			LastUpdatedMS:           1,
		},
	}
}

func pluginQuery(refID, model, queryType string) *pluginv2.DataQuery {
	now := time.Now()
	return &pluginv2.DataQuery{
		RefId: refID, QueryType: queryType, Json: []byte(model), MaxDataPoints: 1000, IntervalMS: 1000,
		TimeRange: &pluginv2.TimeRange{FromEpochMS: now.Add(-time.Hour).UnixMilli(), ToEpochMS: now.UnixMilli()},
	}
}

func cqlQuery(refID, cql, format string) *pluginv2.DataQuery {
	m, _ := json.Marshal(map[string]any{"refId": refID, "cql": cql, "format": format})
	return pluginQuery(refID, string(m), "")
}

// answer is one decoded QueryData response.
type answer struct{ res *backend.QueryDataResponse }

func (a answer) err() error {
	for ref, r := range a.res.Responses {
		if r.Error != nil {
			return fmt.Errorf("query %s: status %d: %v", ref, r.Status, r.Error)
		}
	}
	return nil
}

// noLimitNotice fails when a frame says rows were cut.
func (a answer) noLimitNotice() error {
	for ref, r := range a.res.Responses {
		for _, f := range r.Frames {
			if f.Meta == nil {
				continue
			}
			for _, n := range f.Meta.Notices {
				if strings.Contains(n.Text, "limited") {
					return fmt.Errorf("query %s: notice %q although every row was read", ref, n.Text)
				}
			}
		}
	}
	return nil
}

// queryData sends one QueryData and decodes it the way Grafana does; the time covers both.
func queryData(h *pluginhost.Host, pc *pluginv2.PluginContext, qs ...*pluginv2.DataQuery) (time.Duration, answer, error) {
	ctx, cancel := context.WithTimeout(context.Background(), rpcTimout)
	defer cancel()
	t0 := time.Now()
	raw, err := h.Data.QueryData(ctx, &pluginv2.QueryDataRequest{PluginContext: pc, Headers: map[string]string{}, Queries: qs})
	if err != nil {
		return 0, answer{}, fmt.Errorf("QueryData: %w", err)
	}
	res, err := backend.FromProto().QueryDataResponse(raw)
	d := time.Since(t0)
	if err != nil {
		return 0, answer{}, fmt.Errorf("decode: %w", err)
	}
	a := answer{res}
	return d, a, a.err()
}

// selftestAndCheck is one selftest QueryData, then one gRPC health Check, on t's connection.
func selftestAndCheck(t *target) (time.Duration, time.Duration, error) {
	d, _, err := t.query(pluginQuery("A", `{"refId":"A","queryType":"selftest"}`, "selftest"))
	if err != nil {
		return 0, 0, fmt.Errorf("selftest: %w", err)
	}
	dh, err := healthCheck(healthpb.NewHealthClient(t.h.Conn))
	if err != nil {
		return 0, 0, fmt.Errorf("gRPC health check: %w", err)
	}
	return d, dh, nil
}

// healthCheck is one grpc.health.v1 Check of the "plugin" service, as go-plugin's own health probe sends it.
func healthCheck(c healthpb.HealthClient) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), rpcTimout)
	defer cancel()
	t0 := time.Now()
	r, err := c.Check(ctx, &healthpb.HealthCheckRequest{Service: "plugin"})
	d := time.Since(t0)
	if err != nil {
		return 0, err
	}
	if r.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		return 0, fmt.Errorf("status %v", r.GetStatus())
	}
	return d, nil
}

// dashboard runs n refreshes of a dashboard of p panels: each refresh sends p QueryData requests at once (as
// Grafana does, one per panel) and waits for all; every panel's latency is returned.
func (t *target) dashboard(p, n int) ([]time.Duration, int64, error) {
	var out []time.Duration
	var rows int64
	for r := 0; r < n; r++ {
		ds := make([]time.Duration, p)
		ns := make([]int64, p)
		errs := make([]error, p)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := 0; i < p; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				d, a, err := t.query(t.shape.panel(i % *partitions))
				if err == nil {
					var sm sums
					sm, err = a.tableSums()
					ns[i] = sm.Rows
				}
				ds[i], errs[i] = d, err
			}(i)
		}
		close(start)
		wg.Wait()
		for i := range errs {
			if errs[i] != nil {
				return nil, 0, errs[i]
			}
			rows += ns[i]
		}
		out = append(out, ds...)
	}
	return out, rows, nil
}

// sums is what a read saw; both sides compute it the same way, in row order.
type sums struct {
	Rows       int64   `json:"rows"`
	SumV       float64 `json:"sumV"`
	SumTsMs    int64   `json:"sumTsMs"`
	SumTextLen int64   `json:"sumTextLen"`
}

func (a answer) tableSums() (sums, error) {
	var s sums
	for _, r := range a.res.Responses {
		for _, f := range r.Frames {
			n, err := f.RowLen()
			if err != nil {
				return s, err
			}
			s.Rows += int64(n)
			for _, fld := range f.Fields {
				for i := 0; i < n; i++ {
					switch v := fld.At(i).(type) {
					case string:
						s.SumTextLen += int64(len(v))
					case *string:
						if v != nil {
							s.SumTextLen += int64(len(*v))
						}
					case time.Time:
						s.SumTsMs += v.UnixMilli()
					case *time.Time:
						if v != nil {
							s.SumTsMs += v.UnixMilli()
						}
					case float64:
						s.SumV += v
					case *float64:
						if v != nil {
							s.SumV += *v
						}
					default:
						return s, fmt.Errorf("field %s: unexpected %T", fld.Name, v)
					}
				}
			}
		}
	}
	return s, nil
}

// seriesSums counts the non-null values of the value fields of time series frames (rows of the long form).
func (a answer) seriesSums() (sums, error) {
	var s sums
	for _, r := range a.res.Responses {
		for _, f := range r.Frames {
			n, err := f.RowLen()
			if err != nil {
				return s, err
			}
			for _, fld := range f.Fields {
				for i := 0; i < n; i++ {
					switch v := fld.At(i).(type) {
					case time.Time, *time.Time:
					case float64:
						s.SumV += v
						s.Rows++
					case *float64:
						if v != nil {
							s.SumV += *v
							s.Rows++
						}
					default:
						return s, fmt.Errorf("field %s: unexpected %T", fld.Name, v)
					}
				}
			}
		}
	}
	return s, nil
}

// same checks two reads saw the same rows: in the same order, every sum is equal; in another order, the row
// count and the integer sums are, and the sum of doubles to a relative 1e-9. A time series (d with only Rows and
// SumV) is compared by its count of values and their sum.
func same(what string, p, d sums, ordered bool) error {
	if ordered && p != d {
		return fmt.Errorf("%s: the rows read %+v differ from the driver's %+v", what, p, d)
	}
	if !ordered && (p.Rows != d.Rows || p.SumTsMs != d.SumTsMs || p.SumTextLen != d.SumTextLen ||
		math.Abs(p.SumV-d.SumV) > 1e-9*math.Abs(d.SumV)) {
		return fmt.Errorf("%s: the rows read %+v differ from the driver's %+v", what, p, d)
	}
	return nil
}

// ---- the bare driver side

type driver struct {
	cmd *exec.Cmd
	in  *bufio.Writer
	out *bufio.Scanner
}

type driverAnswer struct {
	sums
	NS      []int64 `json:"ns"`
	Error   string  `json:"error"`
	Ready   bool    `json:"ready"`
	Seeded  bool    `json:"seeded"`
	SeedMS  int64   `json:"ms"`
	rawText string
}

func (a driverAnswer) String() string { return a.rawText }

func (a driverAnswer) durations() []time.Duration {
	out := make([]time.Duration, len(a.NS))
	for i, n := range a.NS {
		out[i] = time.Duration(n)
	}
	return out
}

func (a driverAnswer) rowSums() sums { return a.sums }

func startDriver() (*driver, error) {
	if *driverCP == "" {
		return nil, fmt.Errorf("no class path for the bare driver (-driver-cp or BENCH_DRIVER_CP; tools/bench-e2e.sh sets it)")
	}
	cmd := exec.Command(*javaBin, "-Xmx512m", "-cp", *driverCP, "io.opencql.cql.bench.BareDriver", *host, *user, *password)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the bare driver: %w", err)
	}
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	d := &driver{cmd: cmd, in: bufio.NewWriter(stdin), out: sc}
	a, err := d.read()
	if err != nil || !a.Ready {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("the bare driver did not start: %v %v", a, err)
	}
	return d, nil
}

func (d *driver) read() (driverAnswer, error) {
	if !d.out.Scan() {
		return driverAnswer{}, fmt.Errorf("the bare driver exited: %v", d.out.Err())
	}
	var a driverAnswer
	a.rawText = d.out.Text()
	if err := json.Unmarshal(d.out.Bytes(), &a); err != nil {
		return a, fmt.Errorf("bare driver answer %q: %w", a.rawText, err)
	}
	if a.Error != "" {
		return a, fmt.Errorf("bare driver: %s", a.Error)
	}
	return a, nil
}

func (d *driver) call(line string) (driverAnswer, error) {
	d.in.WriteString(line + "\n")
	if err := d.in.Flush(); err != nil {
		return driverAnswer{}, err
	}
	return d.read()
}

func (d *driver) quit() {
	d.call("quit")
	done := make(chan struct{})
	go func() { d.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		d.cmd.Process.Kill()
		<-done
	}
}

// ---- figures

type row struct {
	figure               string
	plugin, driver, peer []time.Duration
	pluginText, peerText string
	pct                  bool
	load                 string
}

type report struct{ rows []row }

func (r *report) add(x row) {
	r.rows = append(r.rows, x)
	fmt.Printf("  %s: %s | driver %s | peer %s (load %s)\n", x.figure, x.cell(x.plugin, x.pluginText), x.cell(x.driver, ""), x.cell(x.peer, x.peerText), x.load)
}

func one(d time.Duration) []time.Duration { return []time.Duration{d} }

func sorted(ds []time.Duration) []time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s
}

// pct is the nearest-rank percentile of sorted s.
func pct(s []time.Duration, p float64) time.Duration {
	i := int(math.Ceil(p/100*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

func ms(d time.Duration) string {
	f := float64(d) / 1e6
	switch {
	case f >= 1000:
		return fmt.Sprintf("%.2f s", f/1000)
	case f >= 100:
		return fmt.Sprintf("%.0f ms", f)
	case f >= 10:
		return fmt.Sprintf("%.1f ms", f)
	default:
		return fmt.Sprintf("%.2f ms", f)
	}
}

func (x row) cell(ds []time.Duration, text string) string {
	if text != "" {
		return text
	}
	if len(ds) == 0 {
		return "–"
	}
	s := sorted(ds)
	if len(s) == 1 {
		return ms(s[0])
	}
	if x.pct {
		return fmt.Sprintf("%s / %s (min %s, max %s, n=%d)", ms(pct(s, 50)), ms(pct(s, 99)), ms(s[0]), ms(s[len(s)-1]), len(s))
	}
	return fmt.Sprintf("%s / %s / %s (n=%d)", ms(s[0]), ms(pct(s, 50)), ms(s[len(s)-1]), len(s))
}

func (x row) ratio(other []time.Duration) string {
	if len(x.plugin) == 0 || len(other) == 0 {
		return "–"
	}
	p, d := sorted(x.plugin), sorted(other)
	out := fmt.Sprintf("%.2f×", float64(pct(p, 50))/float64(pct(d, 50)))
	if x.pct {
		out += fmt.Sprintf(" / %.2f×", float64(pct(p, 99))/float64(pct(d, 99)))
	}
	return out
}

func (r *report) print() {
	fmt.Println()
	peerName := "peer Go plugin (gocql)"
	if *peerOurs {
		peerName = "peer: another build of this plugin"
	}
	fmt.Printf("| figure | this plugin | bare java-driver (or yardstick) | %s | plugin ÷ driver | plugin ÷ peer | load average (1, 5, 15 min) |\n", peerName)
	fmt.Println("|---|---|---|---|---|---|---|")
	for _, x := range r.rows {
		fmt.Printf("| %s | %s | %s | %s | %s | %s | %s |\n", x.figure, x.cell(x.plugin, x.pluginText), x.cell(x.driver, ""),
			x.cell(x.peer, x.peerText), x.ratio(x.driver), x.ratio(x.peer), x.load)
	}
	fmt.Println()
	fmt.Println("Times are min / median / max, or p50 / p99 where marked; ratios compare medians (and p99s). The plugins' times")
	fmt.Println("include gRPC and the SDK's decode; the driver's are taken inside its JVM. The peer plugin has one result shape")
	fmt.Println("(one frame per id, its first column), shown in the table row.")
	fmt.Printf("load average at the end %s\n", loadavg())
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func nproc() int {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return 0
	}
	return strings.Count(string(b), "\nprocessor") + 1
}

// procStatus reads a kB figure (VmRSS, VmHWM) of a process from /proc/<pid>/status.
func procStatus(pid int, key string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, key+":") {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(l, key+":")), "%d", &kb)
			return kb
		}
	}
	return -1
}

func mib(kb int64) string { return fmt.Sprintf("%.1f MiB", float64(kb)/1024) }

// jcmd runs the JDK's jcmd (beside the plugin's java) against the plugin process.
func jcmd(pid int, args ...string) error {
	jexe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	if err != nil {
		return err
	}
	out, err := exec.Command(strings.TrimSuffix(jexe, "java")+"jcmd", append([]string{fmt.Sprint(pid)}, args...)...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("jcmd %v: %v: %s", args, err, out)
	}
	return nil
}
