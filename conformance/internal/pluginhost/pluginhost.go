// Package pluginhost starts a packaged Grafana backend plugin the way Grafana's plugin manager does
// (hashicorp/go-plugin with Grafana's handshake and client plugin set, gRPC only, a minimal environment) and
// dispenses the SDK's clients. The conformance tests and the end-to-end benchmark both launch through it, so
// that what they judge and what they time is the same start-up Grafana performs.
package pluginhost

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// PluginID is the plugin.json id; Grafana sends it in every PluginContext.
const PluginID = "opencql-cql-datasource"

// GrafanaVersion is what the host claims to be in GF_VERSION and the user agent.
const GrafanaVersion = "12.1.0"

// Handshake is Grafana's go-plugin handshake (pkg/plugins/backendplugin/grpcplugin/client.go), built from
// the SDK's constants so a change there would show here.
var Handshake = goplugin.HandshakeConfig{
	ProtocolVersion:  grpcplugin.ProtocolVersion,
	MagicCookieKey:   grpcplugin.MagicCookieKey,
	MagicCookieValue: grpcplugin.MagicCookieValue,
}

// GrafanaPluginSet mirrors the client plugin set Grafana dispenses for protocol version 2 (minus the image
// renderer, which lives outside the SDK and is never dispensed for a data source).
func GrafanaPluginSet() map[int]goplugin.PluginSet {
	return map[int]goplugin.PluginSet{
		grpcplugin.ProtocolVersion: {
			"diagnostics": &grpcplugin.DiagnosticsGRPCPlugin{},
			"resource":    &grpcplugin.ResourceGRPCPlugin{},
			"data":        &grpcplugin.DataGRPCPlugin{},
			"stream":      &grpcplugin.StreamGRPCPlugin{},
			"admission":   &grpcplugin.AdmissionGRPCPlugin{},
			"conversion":  &grpcplugin.ConversionGRPCPlugin{},
		},
	}
}

// Executable is <dist>/gpx_cql_<os>_<arch> as an absolute path (Grafana execs the plugin by absolute path),
// the name Grafana derives from plugin.json "executable".
func Executable(dist string) string {
	p := filepath.Join(dist, fmt.Sprintf("gpx_cql_%s_%s", runtime.GOOS, runtime.GOARCH))
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	return p
}

// GrafanaEnv is the environment Grafana gives a plugin with the pluginsSkipHostEnvVars toggle: its own
// GF_* variables and nothing from the host (no PATH, HOME or JAVA_HOME), so the launcher must find its
// runtime by itself. go-plugin appends the cookie, PLUGIN_MIN/MAX_PORT and PLUGIN_PROTOCOL_VERSIONS.
func GrafanaEnv() []string {
	return []string{
		"GF_VERSION=" + GrafanaVersion,
		"GF_EDITION=oss",
	}
}

// Host is one plugin process started through go-plugin, with the dispensed SDK clients.
type Host struct {
	Client      *goplugin.Client
	Cmd         *exec.Cmd
	Conn        *grpc.ClientConn
	Data        grpcplugin.DataClient
	Diagnostics grpcplugin.DiagnosticsClient
	Resource    grpcplugin.ResourceClient
	Stream      grpcplugin.StreamClient
	// StartTook is exec → handshake read → gRPC dialled, as go-plugin's Client() reports it.
	StartTook time.Duration
}

// Start launches the launcher at path (absolute) with Grafana's environment plus extraEnv, the plugin's
// stderr going to stderr, and dispenses every client Grafana dispenses. hostLog receives go-plugin's own
// warnings (nil: os.Stderr).
func Start(path string, stderr io.Writer, hostLog io.Writer, extraEnv ...string) (*Host, error) {
	if hostLog == nil {
		hostLog = os.Stderr
	}
	cmd := exec.Command(path)
	cmd.Env = append(GrafanaEnv(), extraEnv...)
	client := goplugin.NewClient(&goplugin.ClientConfig{
		Cmd:              cmd,
		HandshakeConfig:  Handshake,
		VersionedPlugins: GrafanaPluginSet(),
		SkipHostEnv:      true,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Stderr:           stderr,
		Logger: hclog.New(&hclog.LoggerOptions{
			Name:   "host",
			Level:  hclog.Warn,
			Output: hostLog,
		}),
	})
	h := &Host{Client: client, Cmd: cmd}
	t0 := time.Now()
	rpc, err := client.Client() // starts the process, waits for the handshake, dials
	h.StartTook = time.Since(t0)
	if err != nil {
		client.Kill()
		return nil, fmt.Errorf("go-plugin could not start the plugin: %w", err)
	}
	gc, ok := rpc.(*goplugin.GRPCClient)
	if !ok {
		client.Kill()
		return nil, fmt.Errorf("negotiated protocol is %T, want a gRPC client", rpc)
	}
	h.Conn = gc.Conn
	if v := client.NegotiatedVersion(); v != grpcplugin.ProtocolVersion {
		client.Kill()
		return nil, fmt.Errorf("negotiated app protocol %d, want %d", v, grpcplugin.ProtocolVersion)
	}
	for _, name := range []string{"data", "diagnostics", "resource", "stream", "admission", "conversion"} {
		raw, err := rpc.Dispense(name)
		if err != nil {
			client.Kill()
			return nil, fmt.Errorf("dispense %q: %w", name, err)
		}
		switch c := raw.(type) {
		case grpcplugin.DataClient:
			h.Data = c
		case grpcplugin.DiagnosticsClient:
			h.Diagnostics = c
		case grpcplugin.ResourceClient:
			h.Resource = c
		case grpcplugin.StreamClient:
			h.Stream = c
		}
	}
	return h, nil
}

// Kill stops the plugin like Grafana does (Shutdown RPC, then up to 2 s, then SIGKILL) and reports how long
// that took.
func (h *Host) Kill() time.Duration {
	t0 := time.Now()
	h.Client.Kill()
	return time.Since(t0)
}
