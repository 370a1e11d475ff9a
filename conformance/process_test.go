package conformance

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health/grpc_health_v1"
)

// requireExecutable fails the test when the packaged launcher is missing: the host exists to test it.
func requireExecutable(t *testing.T) string {
	t.Helper()
	path := pluginExecutable()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatalf("packaged plugin not found (set PLUGIN_DIST to the dist/ folder): %v", err)
	}
	if st.Mode()&0o111 == 0 {
		t.Fatalf("%s is not executable (mode %v): Grafana's exec fails with 'permission denied'", path, st.Mode())
	}
	return path
}

// TestMissingCookieExits: started without Grafana's magic cookie, the plugin must say on stderr that it is
// a plugin and exit 1, like a Go SDK plugin, and never print anything on stdout.
func TestMissingCookieExits(t *testing.T) {
	path := requireExecutable(t)
	cases := map[string][]string{
		"absent":      nil,
		"wrong value": {"grafana_plugin_type=app"},
	}
	for name, cookie := range cases {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, path)
			cmd.Env = append(append(grafanaEnv(), "PLUGIN_PROTOCOL_VERSIONS=2"), cookie...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			t0 := time.Now()
			err := cmd.Run()
			took := time.Since(t0)
			var exitErr *exec.ExitError
			switch {
			case ctx.Err() != nil:
				t.Fatalf("the plugin kept running for 60 s without the cookie; it must exit 1 (stderr: %q)", stderr.String())
			case err == nil:
				t.Errorf("exit status 0 without the cookie; want 1")
			case errors.As(err, &exitErr):
				if code := exitErr.ExitCode(); code != 1 {
					t.Errorf("exit status %d (%v) without the cookie; want 1", code, exitErr)
				}
			default:
				t.Fatalf("cannot run %s: %v", path, err)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout must stay empty; got %q", stdout.String())
			}
			msg := strings.TrimSpace(stderr.String())
			if msg == "" {
				t.Errorf("stderr is empty; want a message explaining that this binary is a Grafana plugin")
			} else if !strings.Contains(strings.ToLower(msg), "plugin") {
				t.Errorf("stderr does not explain that this is a plugin: %q", msg)
			}
			t.Logf("exited after %v with %q", took.Round(time.Millisecond), msg)
		})
	}
}

var handshakeLine = regexp.MustCompile(`^1\|2\|tcp\|127\.0\.0\.1:([0-9]{1,5})\|grpc\|$`)

// TestHandshake starts the launcher by hand (not through go-plugin) to see the raw process contract: the
// handshake line is the only thing ever written to stdout, the server already listens when it is printed,
// the go-plugin services answer, a Shutdown RPC ends the process promptly, and every stderr line is a log
// entry Grafana parses. PLUGIN_PROTOCOL_VERSIONS lists versions the plugin does not speak; it must pick 2.
func TestHandshake(t *testing.T) {
	path := requireExecutable(t)
	cmd := exec.Command(path)
	cmd.Env = append(grafanaEnv(),
		"grafana_plugin_type=datasource",
		"PLUGIN_PROTOCOL_VERSIONS=1,2,3",
		"PLUGIN_MIN_PORT=10000",
		"PLUGIN_MAX_PORT=25000",
	)
	// *os.File pipes, so that cmd.Wait returns when the process exits and EOF on the read ends tells
	// whether anything else (an orphaned JVM of a launcher that did not exec) still holds them.
	outR, outW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = outW, errW
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatalf("exec %s: %v", path, err)
	}
	outW.Close()
	errW.Close()
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		select {
		case <-exited:
		default:
			_ = cmd.Process.Kill()
			<-exited
		}
	})

	type stampedLine struct {
		text string
		at   time.Time
	}
	stdoutLines := make(chan stampedLine, 16)
	stdoutDone := make(chan []string, 1)
	go func() {
		var all []string
		r := bufio.NewReader(outR)
		for {
			line, err := r.ReadString('\n')
			if line != "" {
				all = append(all, line)
				select {
				case stdoutLines <- stampedLine{line, time.Now()}:
				default: // only the first line is awaited; the rest is judged from all
				}
			}
			if err != nil {
				stdoutDone <- all
				return
			}
		}
	}()
	stderr := &lineRecorder{}
	stderrDone := make(chan struct{})
	go func() { _, _ = io.Copy(stderr, errR); close(stderrDone) }()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("plugin stderr:\n%s", stderr.String())
		}
	})

	var first stampedLine
	select {
	case first = <-stdoutLines:
	case <-exited:
		t.Fatalf("the plugin exited (%v) before printing the handshake", cmd.ProcessState)
	case <-time.After(60 * time.Second):
		t.Fatalf("no handshake line within Grafana's 1 minute start timeout")
	}
	handshakeTook := first.at.Sub(t0)
	t.Logf("handshake line after %v: %q", handshakeTook.Round(time.Millisecond), first.text)
	if !strings.HasSuffix(first.text, "\n") {
		t.Errorf("handshake line is not terminated by a newline: %q", first.text)
	}
	m := handshakeLine.FindStringSubmatch(strings.TrimSuffix(first.text, "\n"))
	if m == nil {
		t.Fatalf("handshake line %q does not match %s", first.text, handshakeLine)
	}
	port, _ := strconv.Atoi(m[1])
	if port < 1 || port > 65535 {
		t.Fatalf("handshake port %d out of range", port)
	}

	// Grafana dials right after reading the line: the server must already accept calls.
	conn, err := grpc.NewClient(fmt.Sprintf("127.0.0.1:%d", port), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer conn.Close()
	ctx := ctxTimeout(t, 30*time.Second)
	for _, service := range []string{"plugin", ""} {
		callCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		res, err := grpc_health_v1.NewHealthClient(conn).Check(callCtx, &grpc_health_v1.HealthCheckRequest{Service: service})
		cancel()
		if err != nil {
			t.Errorf("health check %q right after the handshake failed: %v", service, err)
		} else if res.Status != grpc_health_v1.HealthCheckResponse_SERVING {
			t.Errorf("health check %q: status %v, want SERVING", service, res.Status)
		}
	}
	checkStdioStream(t, conn)
	checkBrokerStream(t, conn)

	// One real request, so that stderr carries request logging too.
	req := queryDataRequest(newSettings(t, nil, nil), selftestQuery("A"), query{RefID: "B", JSON: `{"refId":"B",`})
	raw, err := pluginv2.NewDataClient(conn).QueryData(ctx, req)
	if err != nil {
		t.Errorf("QueryData on the hand-started plugin failed: %v", err)
	} else if res, err := backend.FromProto().QueryDataResponse(raw); err != nil {
		t.Errorf("QueryData response cannot be decoded: %v", err)
	} else if res.Responses["A"].Status != backend.StatusOK {
		t.Errorf("QueryData selftest status %d, want 200", res.Responses["A"].Status)
	}
	// The database driver and its logging wake up here: nothing of theirs may reach stdout either.
	unreachable := newSettings(t, `{"contactPoints":"127.0.0.1:1","connectTimeoutSeconds":2}`, nil)
	if _, err := pluginv2.NewDiagnosticsClient(conn).CheckHealth(ctx, &pluginv2.CheckHealthRequest{PluginContext: unreachable.pluginContext()}); err != nil {
		t.Errorf("CheckHealth on the hand-started plugin failed: %v", err)
	}
	if _, err := pluginv2.NewDataClient(conn).QueryData(ctx, queryDataRequest(unreachable,
		cqlQuery("C", map[string]any{"cql": "SELECT release_version FROM system.local"}))); err != nil {
		t.Errorf("QueryData against an unreachable node failed with a gRPC error: %v", err)
	}
	if rs, err := pluginv2.NewResourceClient(conn).CallResource(ctx, &pluginv2.CallResourceRequest{
		PluginContext: unreachable.pluginContext(), Path: "nope", Method: "GET", Url: "nope"}); err != nil {
		t.Errorf("CallResource on the hand-started plugin failed: %v", err)
	} else {
		for {
			if _, err := rs.Recv(); err != nil {
				break
			}
		}
	}

	// go-plugin's Kill: GRPCController/Shutdown, then 2 s grace before SIGKILL.
	t1 := time.Now()
	shutdownErr := conn.Invoke(ctx, "/plugin.GRPCController/Shutdown", &emptyMsg{}, &emptyMsg{})
	select {
	case <-exited:
	case <-time.After(2 * time.Second):
		t.Errorf("the process was still running 2 s after GRPCController/Shutdown (go-plugin would SIGKILL it now)")
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			t.Fatalf("the process did not exit within 30 s of Shutdown")
		}
	}
	exitTook := time.Since(t1)
	t.Logf("Shutdown RPC returned %v; process exited %v after the RPC started (%v)", shutdownErr, exitTook.Round(time.Millisecond), cmd.ProcessState)
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		t.Errorf("the process ended by signal %v after Shutdown; want a normal exit", ws.Signal())
	}

	var all []string
	select {
	case all = <-stdoutDone:
	case <-time.After(5 * time.Second):
		t.Fatalf("stdout still open 5 s after the process exited: another process (a JVM the launcher did not exec?) holds it")
	}
	select {
	case <-stderrDone:
	case <-time.After(5 * time.Second):
		t.Fatalf("stderr still open 5 s after the process exited: another process (a JVM the launcher did not exec?) holds it")
	}
	if len(all) != 1 {
		t.Errorf("stdout must carry exactly the handshake line and nothing else; got %d lines: %q", len(all), all)
	}
	checkLogLines(t, stderr.Since(0), true)
}

// TestShutdownViaKill stops a plugin the way Grafana does on shutdown or plugin update (go-plugin Kill:
// Shutdown RPC, wait up to 2 s, else SIGKILL) and requires that the process exits on its own in time.
func TestShutdownViaKill(t *testing.T) {
	requireExecutable(t)
	h, err := startPlugin()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.client.Kill() })
	h.dumpStderrOnFailure(t)
	t.Logf("go-plugin start (exec, handshake, dial) took %v", h.startTook.Round(time.Millisecond))
	res, _ := h.queryData(t, newSettings(t, nil, nil), selftestQuery("A"))
	if res.Responses["A"].Status != backend.StatusOK {
		t.Errorf("selftest before shutdown: status %d", res.Responses["A"].Status)
	}
	took := h.kill()
	ps := h.cmd.ProcessState
	if ps == nil {
		t.Fatalf("Kill returned after %v but the process state is unknown", took)
	}
	t.Logf("Kill() until the process exited: %v (%v)", took.Round(time.Millisecond), ps)
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
		t.Errorf("the plugin was SIGKILLed: it did not exit within go-plugin's 2 s after Shutdown (Kill took %v)", took)
	}
	if took >= 2*time.Second {
		t.Errorf("Kill took %v; the plugin must exit within 2 s of the Shutdown RPC", took)
	}
}

// TestSignals: SIGINT (Ctrl-C in Grafana's terminal) must not kill the plugin; SIGTERM ends it cleanly.
func TestSignals(t *testing.T) {
	requireExecutable(t)
	h, err := startPlugin()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.client.Kill() })
	h.dumpStderrOnFailure(t)
	settings := newSettings(t, nil, nil)
	pid := h.cmd.Process.Pid

	if err := syscall.Kill(pid, syscall.SIGINT); err != nil {
		t.Fatalf("SIGINT: %v", err)
	}
	if waitFor(2*time.Second, h.client.Exited) {
		t.Fatalf("the plugin exited on SIGINT (%v); it must ignore SIGINT like a go-plugin plugin", h.cmd.ProcessState)
	}
	res, _ := h.queryData(t, settings, selftestQuery("A"))
	if res.Responses["A"].Status != backend.StatusOK {
		t.Errorf("selftest after SIGINT: status %d, want 200", res.Responses["A"].Status)
	}
	hc, err := grpc_health_v1.NewHealthClient(h.conn).Check(ctxTimeout(t, 5*time.Second), &grpc_health_v1.HealthCheckRequest{Service: "plugin"})
	if err != nil || hc.Status != grpc_health_v1.HealthCheckResponse_SERVING {
		t.Errorf("health after SIGINT: %v %v, want SERVING", hc, err)
	}

	t0 := time.Now()
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM: %v", err)
	}
	if !waitFor(10*time.Second, h.client.Exited) {
		t.Fatalf("the plugin still runs 10 s after SIGTERM")
	}
	took := time.Since(t0)
	ps := h.cmd.ProcessState
	t.Logf("exited %v after SIGTERM (%v)", took.Round(time.Millisecond), ps)
	if ps == nil {
		t.Fatalf("process state unknown after exit")
	}
	ws, _ := ps.Sys().(syscall.WaitStatus)
	switch {
	case ws.Signaled() && ws.Signal() == syscall.SIGTERM:
	case ws.Exited() && (ws.ExitStatus() == 0 || ws.ExitStatus() == 128+int(syscall.SIGTERM)):
	default:
		t.Errorf("after SIGTERM the process ended with %v; want exit 0, exit 143 or termination by SIGTERM", ps)
	}
}

// TestStderrLogFormat: every stderr line of the shared plugin (start-up and some successful and failing
// requests) is a JSON log entry Grafana's go-plugin log reader understands.
func TestStderrLogFormat(t *testing.T) {
	h := sharedPlugin(t)
	queryData(t, newSettings(t, nil, nil), selftestQuery("A"), query{RefID: "B", JSON: `{"refId":"B",`})
	checkHealth(t, newSettings(t, `{"port":"abc"}`, nil))
	// a marker: the plugin warns about a RunStream of a channel it never issued. stderr is one pipe read in order,
	// so once that line is recorded, every line the requests above wrote before it is too
	marker := fmt.Sprintf("tail/log-marker-%d", time.Now().UnixNano())
	stream, err := h.stream.RunStream(ctxTimeout(t, 30*time.Second), &pluginv2.RunStreamRequest{
		PluginContext: newSettings(t, nil, nil).pluginContext(), Path: marker, Headers: map[string]string{},
	})
	if err != nil {
		t.Fatalf("RunStream %s: %v", marker, err)
	}
	for {
		if _, err := stream.Recv(); err != nil {
			break // the plugin ends the call at once
		}
	}
	logged := func() bool {
		for _, line := range h.stderr.Since(0) {
			if strings.Contains(line, marker) {
				return true
			}
		}
		return false
	}
	if !waitFor(30*time.Second, logged) {
		t.Fatalf("the plugin's warning about RunStream %s never reached stderr", marker)
	}
	checkLogLines(t, h.stderr.Since(0), true)
}

var logLevels = map[string]bool{"trace": true, "debug": true, "info": true, "warn": true, "error": true}

// hclogTimestamp is the only @timestamp layout go-plugin accepts (log_entry.go).
const hclogTimestamp = "2006-01-02T15:04:05.000000Z07:00"

// checkLogLines requires each non-empty line to be a JSON object with @level, @message and @timestamp
// as go-plugin's parseJSON reads them; anything else lands in Grafana's log as unparsed debug text.
func checkLogLines(t *testing.T, lines []string, requireSome bool) {
	t.Helper()
	var n, bad int
	for i, line := range lines {
		if strings.TrimSpace(line) == "" {
			continue
		}
		n++
		if err := checkLogLine(line); err != nil {
			bad++
			if bad <= 10 {
				t.Errorf("stderr line %d is not a Grafana log entry: %v\n  line: %s", i+1, err, line)
			}
		}
	}
	if bad > 10 {
		t.Errorf("... %d bad stderr lines in all (of %d)", bad, n)
	}
	if requireSome && n == 0 {
		t.Errorf("the plugin wrote no log line at all on stderr")
	}
	t.Logf("%d stderr lines checked, %d bad", n, bad)
}

func checkLogLine(line string) error {
	var entry map[string]any
	if err := json.Unmarshal([]byte(line), &entry); err != nil {
		return fmt.Errorf("not a JSON object: %v", err)
	}
	level, ok := entry["@level"].(string)
	if !ok {
		return errors.New("no string @level")
	}
	if !logLevels[level] {
		return fmt.Errorf("@level %q is not one of trace, debug, info, warn, error", level)
	}
	if _, ok := entry["@message"].(string); !ok {
		return errors.New("no string @message")
	}
	ts, ok := entry["@timestamp"].(string)
	if !ok {
		return errors.New("no string @timestamp")
	}
	if _, err := time.Parse(hclogTimestamp, ts); err != nil {
		return fmt.Errorf("@timestamp %q does not parse with %q (go-plugin then treats the line as plain text): %v", ts, hclogTimestamp, err)
	}
	return nil
}
