package conformance

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

// orphanHostEnv makes this test binary act as a bare Grafana: start the plugin, open a data source session when a
// node is configured, print the plugin's pid, then wait to be killed (TestPluginExitsWhenItsHostIsKilled does).
const orphanHostEnv = "CONFORMANCE_ORPHAN_HOST"

func init() {
	if os.Getenv(orphanHostEnv) != "1" {
		return
	}
	h, err := startPlugin()
	if err != nil {
		fmt.Printf("ERROR %v\n", err)
		os.Exit(1)
	}
	session := "no node configured"
	if host := os.Getenv("CQL_TEST_HOST"); host != "" {
		ctx := &pluginv2.PluginContext{OrgId: 1, PluginId: pluginID, DataSourceInstanceSettings: &pluginv2.DataSourceInstanceSettings{
			Id: 1, Uid: "orphan-host", Name: "orphan", LastUpdatedMS: time.Now().UnixMilli(),
			JsonData: []byte(fmt.Sprintf(`{"contactPoints":%q,"connectTimeoutSeconds":10}`, host)),
			DecryptedSecureJsonData: map[string]string{
				"username": cqlEnv("CQL_TEST_USER", "cassandra"), "password": cqlEnv("CQL_TEST_PASSWORD", "cassandra")},
		}}
		c, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		res, err := h.diagnostics.CheckHealth(c, &pluginv2.CheckHealthRequest{PluginContext: ctx})
		cancel()
		if err != nil {
			fmt.Printf("ERROR CheckHealth: %v\n", err)
			os.Exit(1)
		}
		session = fmt.Sprintf("CheckHealth %v: %s", res.Status, res.Message)
	}
	fmt.Printf("READY %d %s\n", h.cmd.Process.Pid, session)
	select {} // until SIGKILL
}

// processAlive: the pid exists and is not a zombie (an exited child nobody reaped yet is not running).
func processAlive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(stat)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z' && s[i+2] != 'X'
	}
	return true
}

// TestPluginExitsWhenItsHostIsKilled: Grafana SIGKILLed (crash, OOM killer, container stop) cannot ask the plugin to
// stop; the plugin must notice that its parent is gone and exit within 5 s, instead of living on as an orphan with
// its sessions and memory.
func TestPluginExitsWhenItsHostIsKilled(t *testing.T) {
	requireExecutable(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatalf("cannot find the test binary: %v", err)
	}
	host := exec.Command(self, "-test.run=^$")
	host.Env = append(os.Environ(), orphanHostEnv+"=1")
	var stderr lineRecorder
	host.Stderr = &stderr
	out, err := host.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := host.Start(); err != nil {
		t.Fatalf("cannot start the host process: %v", err)
	}
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var pid int
	select {
	case line, ok := <-lines:
		fields := strings.SplitN(line, " ", 3)
		if !ok || fields[0] != "READY" || len(fields) < 3 {
			_ = host.Process.Kill()
			t.Fatalf("the host did not start the plugin: %q\nhost stderr:\n%s", line, stderr.String())
		}
		pid, _ = strconv.Atoi(fields[1])
		t.Logf("plugin pid %d started by host pid %d; %s", pid, host.Process.Pid, fields[2])
	case <-time.After(180 * time.Second):
		_ = host.Process.Kill()
		t.Fatalf("the host did not report a started plugin within 180 s; stderr:\n%s", stderr.String())
	}
	if !processAlive(pid) {
		t.Fatalf("plugin pid %d is not running before the host is killed", pid)
	}
	t.Cleanup(func() {
		if processAlive(pid) {
			_ = syscall.Kill(pid, syscall.SIGKILL) // never leave the orphan this test is about
		}
	})
	killed := time.Now()
	if err := host.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("SIGKILL the host: %v", err)
	}
	_ = host.Wait()
	gone := waitFor(30*time.Second, func() bool { return !processAlive(pid) })
	took := time.Since(killed)
	fmt.Printf("FIGURE orphan: plugin pid %d gone %v after its host was SIGKILLed (bound 5s)\n", pid, took.Round(10*time.Millisecond))
	if !gone {
		t.Fatalf("plugin pid %d still running 30 s after its host was SIGKILLed: an orphan", pid)
	}
	if took > 5*time.Second {
		t.Errorf("plugin exited %v after its host died; want within 5 s", took)
	}
}
