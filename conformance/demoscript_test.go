package conformance

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// tools/demo.sh, the demo without Docker, run up to the point where it would start Grafana: no Grafana server can
// be had where these tests run, so one case runs it with none (it must say so in one line and print the settings),
// and one with a stand-in `grafana` on PATH that records how it was started and exits. It runs against the test
// node that tools/test.sh started (same CASS_PORT and CASS_DIR: tools/cassandra-node.sh start finds it running),
// so it needs those in the environment.

// demoScriptEnv is the environment for tools/demo.sh: the test node's settings, and a PATH without Grafana.
func demoScriptEnv(t *testing.T, path string) []string {
	t.Helper()
	port, dir := os.Getenv("CASS_PORT"), os.Getenv("CASS_DIR")
	if port == "" || dir == "" || os.Getenv("CQL_TEST_HOST") != "127.0.0.1:"+port {
		t.Skip("tools/demo.sh needs the node tools/test.sh starts (CASS_PORT, CASS_DIR, CQL_TEST_HOST=127.0.0.1:$CASS_PORT)")
	}
	env := []string{"PATH=" + path, "HOME=" + os.Getenv("HOME"), "CASS_PORT=" + port, "CASS_DIR=" + dir}
	for _, k := range []string{"CASS_STORAGE_PORT", "CASS_HOME", "CASS_VERSION", "JAVA_HOME", "CQL_TEST_USER", "CQL_TEST_PASSWORD"} {
		if v := os.Getenv(k); v != "" {
			env = append(env, k+"="+v)
		}
	}
	env = append(env, "CQL_USERNAME="+cqlEnv("CQL_TEST_USER", "cassandra"), "CQL_PASSWORD="+cqlEnv("CQL_TEST_PASSWORD", "cassandra"))
	return env
}

// pathWithout is this PATH with every folder holding a `grafana` left out.
func pathWithout(name string) string {
	var keep []string
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		if _, err := os.Stat(filepath.Join(d, name)); err != nil {
			keep = append(keep, d)
		}
	}
	return strings.Join(keep, string(os.PathListSeparator))
}

// runDemoScript runs tools/demo.sh and stops the live writer it leaves running (never the node: it is the
// tests' node).
func runDemoScript(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	root, _ := filepath.Abs("..")
	cmd := exec.Command("bash", append([]string{filepath.Join(root, "tools", "demo.sh")}, args...)...)
	cmd.Dir = root
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	t.Cleanup(func() {
		pidFile := filepath.Join(os.Getenv("CASS_DIR"), "demo-follow.pid")
		if b, err := os.ReadFile(pidFile); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
				_ = syscall.Kill(pid, syscall.SIGTERM)
			}
			_ = os.Remove(pidFile)
		}
	})
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		t.Logf("tools/demo.sh %v:\n%s", args, out.String())
		return out.String(), err
	case <-time.After(5 * time.Minute):
		_ = cmd.Process.Kill()
		t.Fatalf("tools/demo.sh did not finish within 5 minutes:\n%s", out.String())
		return "", nil
	}
}

// TestDemoScriptWithoutGrafana: no Grafana found, tools/demo.sh seeds the demo keyspace, says so in one line and
// prints what to paste into one's own Grafana: the node's address, the keyspace, the credentials' user.
func TestDemoScriptWithoutGrafana(t *testing.T) {
	env := demoScriptEnv(t, pathWithout("grafana"))
	out, err := runDemoScript(t, env)
	if err != nil {
		t.Fatalf("tools/demo.sh failed: %v", err)
	}
	if !strings.Contains(out, "demo-seed: seeded ") {
		t.Errorf("no seeder report in the output")
	}
	var notFound []string
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "no Grafana server found") {
			notFound = append(notFound, line)
		}
	}
	if len(notFound) != 1 {
		t.Errorf("%d lines say no Grafana server was found, want one", len(notFound))
	}
	for _, want := range []string{"127.0.0.1:" + os.Getenv("CASS_PORT"), "Keyspace           demo", "allow_loading_unsigned_plugins = " + pluginID} {
		if !strings.Contains(out, want) {
			t.Errorf("the settings to paste do not include %q", want)
		}
	}
	if _, err := os.Stat(filepath.Join(os.Getenv("CASS_DIR"), "demo-follow.pid")); err != nil {
		t.Errorf("the live writer was not started: %v", err)
	}
}

// TestDemoScriptStartsGrafanaWithThePlugin: with a `grafana` on PATH (a stand-in that records its arguments,
// environment and the plugin folder it was given), tools/demo.sh starts it as `grafana server` on port 3000 with
// a throw-away home holding the built plugin and the project's provisioning, unsigned loading allowed for this
// plugin id only, and the data source pointed at the local node through the environment.
func TestDemoScriptStartsGrafanaWithThePlugin(t *testing.T) {
	home := t.TempDir()
	record := filepath.Join(home, "record")
	if err := os.MkdirAll(filepath.Join(home, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(home, "conf"), 0o755); err != nil {
		t.Fatal(err)
	}
	stand := "#!/bin/sh\n{ echo \"args $*\"; env; } > " + strconvQuote(record) + "\n"
	if err := os.WriteFile(filepath.Join(home, "bin", "grafana"), []byte(stand), 0o755); err != nil {
		t.Fatal(err)
	}
	env := demoScriptEnv(t, filepath.Join(home, "bin")+string(os.PathListSeparator)+pathWithout("grafana"))
	if _, err := runDemoScript(t, env); err != nil {
		t.Fatalf("tools/demo.sh failed: %v", err)
	}
	b, err := os.ReadFile(record)
	if err != nil {
		t.Fatalf("the stand-in grafana was not started: %v", err)
	}
	got := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			got[k] = v
		}
	}
	if !strings.Contains(string(b), "args server --homepath "+home+"\n") {
		t.Errorf("grafana was not started as `grafana server --homepath %s`: %s", home, strings.SplitN(string(b), "\n", 2)[0])
	}
	want := map[string]string{
		"GF_SERVER_HTTP_PORT":                       "3000",
		"GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS": pluginID,
		"CQL_CONTACT_POINTS":                        "127.0.0.1",
		"CQL_PORT":                                  os.Getenv("CASS_PORT"),
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s=%q, want %q", k, got[k], v)
		}
	}
	plugin := filepath.Join(got["GF_PATHS_PLUGINS"], pluginID)
	if _, err := os.Stat(filepath.Join(plugin, "plugin.json")); err != nil {
		t.Errorf("the plugin folder Grafana gets has no plugin.json: %v", err)
	}
	if _, err := os.Stat(filepath.Join(plugin, "gpx_cql_linux_amd64")); err != nil {
		t.Errorf("the plugin folder Grafana gets has no launcher: %v", err)
	}
	prov := got["GF_PATHS_PROVISIONING"]
	if _, err := os.Stat(filepath.Join(prov, "datasources", "datasource.yaml")); err != nil {
		t.Errorf("no provisioning/datasources/datasource.yaml in Grafana's provisioning path %q: %v", prov, err)
	}
	providers, err := os.ReadFile(filepath.Join(prov, "dashboards", "dashboards.yaml"))
	if err != nil || !strings.Contains(string(providers), "path: "+filepath.Join(prov, "dashboards")) {
		t.Errorf("the dashboards provider does not read the throw-away home's copy: %v\n%s", err, providers)
	}
	for _, k := range []string{"GF_PATHS_DATA", "GF_PATHS_LOGS", "GF_PATHS_PLUGINS", "GF_PATHS_PROVISIONING"} {
		if !strings.Contains(got[k], "/target/grafana-demo") {
			t.Errorf("%s=%q is not in the throw-away home under target/", k, got[k])
		}
	}
}

func strconvQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
