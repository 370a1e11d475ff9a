package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/opencql/cql-datasource/conformance/internal/pluginhost"
)

// startup measures exec → handshake line of the launcher (the environment go-plugin gives it) and, interleaved,
// a JVM hello-world started by the same java with the same flags (minus the plugin's class path and its
// class-data archive, which belong to the plugin's class path): the part of start-up that is the JVM's own.
func startup(rep *report, exe, peerExe string) error {
	var hs, hello, peer []time.Duration
	var javaExe string
	var flags []string
	load := loadavg()
	for i := 0; i < *starts; i++ {
		d, jexe, args, err := handshakeOnce(exe)
		if err != nil {
			return err
		}
		hs = append(hs, d)
		if javaExe == "" {
			javaExe, flags = jexe, jvmFlags(args)
		}
		if peerExe != "" {
			d, _, _, err := handshakeOnce(peerExe)
			if err != nil {
				return fmt.Errorf("peer plugin: %w", err)
			}
			peer = append(peer, d)
		}
		d, err = helloOnce(javaExe, flags)
		if err != nil {
			return err
		}
		hello = append(hello, d)
	}
	fmt.Printf("  hello-world: %s %s -cp … io.opencql.cql.bench.Hello\n", javaExe, strings.Join(flags, " "))
	rep.add(row{figure: "exec → handshake line (yardstick: JVM hello-world, same java and flags)", plugin: hs, driver: hello, peer: peer, load: load + " → " + loadavg()})
	return nil
}

// handshakeOnce execs the launcher as go-plugin does and times the first stdout line; it returns the JVM's
// executable and command line (read from /proc) and kills the process.
func handshakeOnce(exe string) (time.Duration, string, []string, error) {
	cmd := exec.Command(exe)
	cmd.Env = append(pluginhost.GrafanaEnv(),
		grpcplugin.MagicCookieKey+"="+grpcplugin.MagicCookieValue,
		"PLUGIN_MIN_PORT=10000", "PLUGIN_MAX_PORT=25000",
		fmt.Sprintf("PLUGIN_PROTOCOL_VERSIONS=%d", grpcplugin.ProtocolVersion))
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, "", nil, err
	}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, "", nil, err
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	line, err := bufio.NewReader(out).ReadString('\n')
	d := time.Since(t0)
	if err != nil {
		return 0, "", nil, fmt.Errorf("no handshake line: %w", err)
	}
	if !strings.HasPrefix(line, fmt.Sprintf("1|%d|", grpcplugin.ProtocolVersion)) { // tcp (ours) or unix (Go plugins)
		return 0, "", nil, fmt.Errorf("handshake line %q", line)
	}
	pid := cmd.Process.Pid
	jexe, _ := os.Readlink(fmt.Sprintf("/proc/%d/exe", pid))
	raw, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	args := strings.Split(strings.TrimRight(string(raw), "\x00"), "\x00")
	return d, jexe, args, nil
}

// jvmFlags keeps the launcher's JVM options, dropping argv[0], the class path, the main class and the plugin's
// class-data archive.
func jvmFlags(args []string) []string {
	var out []string
	for i := 1; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-cp" || a == "-classpath":
			i++
		case strings.HasPrefix(a, "-XX:SharedArchiveFile="), strings.HasPrefix(a, "-XX:AOTCache="), a == "-XX:+VerifySharedSpaces":
		case !strings.HasPrefix(a, "-"):
			return out // the main class
		default:
			out = append(out, a)
		}
	}
	return out
}

func helloOnce(javaExe string, flags []string) (time.Duration, error) {
	cp := *helloCP
	if cp == "" {
		cp = *driverCP
	}
	args := append(append([]string{}, flags...), "-cp", cp, "io.opencql.cql.bench.Hello")
	cmd := exec.Command(javaExe, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	d := time.Since(t0)
	cmd.Wait()
	if err != nil || strings.TrimSpace(line) != "hello" {
		return 0, fmt.Errorf("hello-world printed %q: %v", line, err)
	}
	return d, nil
}
