// Package conformance is the Grafana side of the wire contract: it starts the packaged Java plugin exactly
// the way Grafana does (hashicorp/go-plugin with Grafana's handshake and client plugin set, a minimal
// environment) and calls every RPC through the SDK's own gRPC stubs and decoders. If these tests pass,
// Grafana can load, query, health-check, scrape and stop the plugin.
package conformance

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/opencql/cql-datasource/conformance/internal/pluginhost"
	"google.golang.org/grpc"
)

// pluginID is the plugin.json id; Grafana sends it in every PluginContext.
const pluginID = pluginhost.PluginID

// grafanaVersion is what the host claims to be in GF_VERSION and the user agent.
const grafanaVersion = pluginhost.GrafanaVersion

// pluginExecutable is dist/gpx_cql_<os>_<arch>, the name Grafana derives from plugin.json "executable".
func pluginExecutable() string {
	dist := os.Getenv("PLUGIN_DIST")
	if dist == "" {
		dist = filepath.Join("..", "dist")
	}
	return pluginhost.Executable(dist)
}

// grafanaEnv is the environment Grafana gives a plugin (pluginhost.GrafanaEnv).
func grafanaEnv() []string {
	return pluginhost.GrafanaEnv()
}

// pluginHost is one plugin process started through go-plugin, with the dispensed SDK clients.
type pluginHost struct {
	client      *goplugin.Client
	cmd         *exec.Cmd
	conn        *grpc.ClientConn
	data        grpcplugin.DataClient
	diagnostics grpcplugin.DiagnosticsClient
	resource    grpcplugin.ResourceClient
	stream      grpcplugin.StreamClient
	stderr      *lineRecorder
	startTook   time.Duration

	dumpMu  sync.Mutex
	dumping map[*testing.T]bool // tests that already print stderr when they fail
}

// startPlugin launches the plugin the way Grafana's plugin manager does and dispenses every client.
func startPlugin(extraEnv ...string) (*pluginHost, error) {
	path := pluginExecutable()
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("packaged plugin not found (set PLUGIN_DIST to the dist/ folder): %w", err)
	}
	return startPluginAt(path, extraEnv...)
}

// startPluginAt launches the launcher at path (absolute, as Grafana execs it) like startPlugin does, e.g. one
// unzipped from the distribution archive.
func startPluginAt(path string, extraEnv ...string) (*pluginHost, error) {
	rec := &lineRecorder{}
	ph, err := pluginhost.Start(path, rec, nil, extraEnv...)
	if err != nil {
		return nil, fmt.Errorf("%w\nplugin stderr:\n%s", err, rec.String())
	}
	return &pluginHost{client: ph.Client, cmd: ph.Cmd, conn: ph.Conn, data: ph.Data, diagnostics: ph.Diagnostics,
		resource: ph.Resource, stream: ph.Stream, stderr: rec, startTook: ph.StartTook}, nil
}

// kill stops the plugin like Grafana does (Shutdown RPC, then up to 2 s, then SIGKILL) and reports how
// long that took.
func (h *pluginHost) kill() time.Duration {
	t0 := time.Now()
	h.client.Kill()
	return time.Since(t0)
}

// dumpStderrOnFailure prints what the plugin logged during the test, so a failure shows the plugin's side.
func (h *pluginHost) dumpStderrOnFailure(t *testing.T) {
	t.Helper()
	h.dumpMu.Lock()
	if h.dumping == nil {
		h.dumping = map[*testing.T]bool{}
	}
	already := h.dumping[t]
	h.dumping[t] = true
	h.dumpMu.Unlock()
	if already {
		return
	}
	mark := h.stderr.Len()
	t.Cleanup(func() {
		if t.Failed() {
			lines := h.stderr.Since(mark)
			if len(lines) == 0 {
				lines = []string{"(nothing)"}
			}
			t.Logf("plugin stderr during %s:\n%s", t.Name(), strings.Join(lines, "\n"))
		}
	})
}

// The plugin shared by every test of this binary: started on first use, stopped by TestMain.
var (
	sharedOnce sync.Once
	shared     *pluginHost
	sharedErr  error
)

// sharedPlugin returns the plugin process all RPC tests talk to, starting it on first use (a test run
// filtered to process tests never starts it).
func sharedPlugin(t *testing.T) *pluginHost {
	t.Helper()
	sharedOnce.Do(func() {
		shared, sharedErr = startPlugin()
		if sharedErr == nil {
			fmt.Fprintf(os.Stderr, "conformance: plugin started and dispensed in %v (pid %d)\n",
				shared.startTook.Round(time.Millisecond), shared.cmd.Process.Pid)
		}
	})
	if sharedErr != nil {
		t.Fatalf("cannot start the plugin: %v", sharedErr)
	}
	if shared.client.Exited() {
		t.Fatalf("the shared plugin process has exited (state %v); stderr:\n%s", shared.cmd.ProcessState, shared.stderr.String())
	}
	shared.dumpStderrOnFailure(t)
	return shared
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil {
		took := shared.kill()
		fmt.Fprintf(os.Stderr, "conformance: shared plugin stopped in %v (%v)\n", took.Round(time.Millisecond), shared.cmd.ProcessState)
	}
	goplugin.CleanupClients()
	os.Exit(code)
}

// lineRecorder collects a process's stderr as lines (go-plugin writes each line, then "\n" separately).
type lineRecorder struct {
	mu      sync.Mutex
	partial bytes.Buffer
	lines   []string
}

func (r *lineRecorder) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, b := range p {
		if b == '\n' {
			r.lines = append(r.lines, r.partial.String())
			r.partial.Reset()
			continue
		}
		r.partial.WriteByte(b)
	}
	return len(p), nil
}

// Len is the number of complete lines so far (a mark for Since).
func (r *lineRecorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.lines)
}

// Since returns the complete lines recorded after mark.
func (r *lineRecorder) Since(mark int) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if mark > len(r.lines) {
		mark = len(r.lines)
	}
	return append([]string(nil), r.lines[mark:]...)
}

func (r *lineRecorder) String() string {
	return strings.Join(r.Since(0), "\n")
}

// waitFor polls cond until it holds or the timeout passes.
func waitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// ctxTimeout is a context for one RPC, cancelled at the end of the test.
func ctxTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
