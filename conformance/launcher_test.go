package conformance

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
)

// Which Java the launcher runs, on hosts that differ from the build machine. Each case unzips a package as a
// user does and starts it as Grafana does (go-plugin, an empty environment) inside a private mount namespace in
// which only the Java runtimes the case names are installed: the others' folders are covered by empty tmpfs
// mounts, so the launcher's search (PATH's default, /usr/bin/java, /usr/lib/jvm/*) finds exactly those. A
// musl host (Grafana's official Alpine image) is stood in for by a library named like musl's loader mapped
// into the launcher's shell (LD_PRELOAD), which is what the launcher looks for in its own memory map.
// Needs root or unprivileged user namespaces for unshare --mount; CI runs as root.

// javaHome is one Java runtime installed on this machine.
type javaHome struct {
	home  string // real path, no symbolic links
	major int
}

// installedJavas lists the Java runtimes under /usr/lib/jvm and /opt (by their release file).
func installedJavas(t *testing.T) []javaHome {
	t.Helper()
	var out []javaHome
	seen := map[string]bool{}
	for _, pattern := range []string{"/usr/lib/jvm/*/release", "/opt/*/release", "/opt/java/*/release"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			home, err := filepath.EvalSymlinks(filepath.Dir(f))
			if err != nil || seen[home] {
				continue
			}
			seen[home] = true
			if m := releaseMajor(f); m > 0 {
				out = append(out, javaHome{home, m})
			}
		}
	}
	return out
}

func releaseMajor(release string) int {
	b, err := os.ReadFile(release)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "JAVA_VERSION="); ok {
			v = strings.Trim(strings.TrimSpace(v), `"`)
			v = strings.TrimPrefix(v, "1.")
			if i := strings.IndexFunc(v, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
				v = v[:i]
			}
			m, _ := strconv.Atoi(v)
			return m
		}
	}
	return 0
}

// javaWith finds an installed Java whose feature release satisfies ok, or fails the test naming what it needs.
func javaWith(t *testing.T, what string, ok func(int) bool) javaHome {
	t.Helper()
	all := installedJavas(t)
	for _, j := range all {
		if ok(j.major) {
			return j
		}
	}
	t.Fatalf("this machine has no %s under /usr/lib/jvm or /opt (found %v); the fall-back case needs one", what, all)
	return javaHome{}
}

// sandboxed writes a wrapper that starts launcher in a private mount namespace where, of the machine's Java
// runtimes, only keep are visible. The wrapper execs (unshare, sh, the launcher, java: one PID throughout, as
// Grafana watches it); the launcher gets the environment the test gives the wrapper, nothing more.
func sandboxed(t *testing.T, launcher string, keep ...javaHome) string {
	t.Helper()
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Fatalf("unshare (util-linux) is needed to hide this machine's Java runtimes: %v", err)
	}
	if out, err := exec.Command(unshare, "--mount", "--propagation", "private", "true").CombinedOutput(); err != nil {
		t.Fatalf("cannot make a private mount namespace (run as root): %v %s", err, out)
	}
	dir := t.TempDir()
	kept := map[string]bool{}
	var stage, cover, rebind strings.Builder
	for i, j := range keep {
		kept[j.home] = true
		if strings.HasPrefix(j.home, "/usr/lib/jvm/") {
			at := filepath.Join(dir, "keep", strconv.Itoa(i))
			if err := os.MkdirAll(at, 0o755); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&stage, "mount --bind %q %q\n", j.home, at)
			fmt.Fprintf(&rebind, "mkdir -p %q\nmount --bind %q %q\n", j.home, at, j.home)
		}
	}
	if _, err := os.Stat("/usr/lib/jvm"); err == nil {
		cover.WriteString("mount -t tmpfs none /usr/lib/jvm\n")
	}
	for _, j := range installedJavas(t) {
		if !kept[j.home] && !strings.HasPrefix(j.home, "/usr/lib/jvm/") {
			fmt.Fprintf(&cover, "mount -t tmpfs none %q\n", j.home)
		}
	}
	inside := filepath.Join(dir, "inside.sh")
	script := "set -e\nPATH=/usr/sbin:/usr/bin:/sbin:/bin\n" + stage.String() + cover.String() + rebind.String() +
		"unset PATH\nexec " + strconv.Quote(launcher) + "\n"
	if err := os.WriteFile(inside, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	wrapper := filepath.Join(dir, "grafana-starts-this")
	w := fmt.Sprintf("#!/bin/sh\nexec %s --mount --propagation private /bin/sh %s\n", unshare, inside)
	if err := os.WriteFile(wrapper, []byte(w), 0o755); err != nil {
		t.Fatal(err)
	}
	return wrapper
}

// fakeMuslLoader makes a library file named like musl's dynamic loader (a copy of glibc's harmless libdl stub)
// and returns the LD_PRELOAD entry that maps it into the launcher's shell.
func fakeMuslLoader(t *testing.T) string {
	t.Helper()
	var src string
	for _, p := range []string{"/lib/*-linux-gnu/libdl.so.2", "/usr/lib/*-linux-gnu/libdl.so.2", "/lib64/libdl.so.2", "/usr/lib64/libdl.so.2"} {
		if m, _ := filepath.Glob(p); len(m) > 0 {
			src = m[0]
			break
		}
	}
	if src == "" {
		t.Fatalf("no glibc libdl.so.2 to stand in for musl's loader")
	}
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	arch := map[string]string{"amd64": "x86_64", "arm64": "aarch64"}[runtime.GOARCH]
	fake := filepath.Join(t.TempDir(), "ld-musl-"+arch+".so.1")
	if err := os.WriteFile(fake, b, 0o755); err != nil {
		t.Fatal(err)
	}
	return "LD_PRELOAD=" + fake
}

// plainZip finds backend/plugin/target/opencql-cql-datasource-<version>.zip (the package without a runtime).
func plainZip(t *testing.T) string {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join("..", "backend", "plugin", "target", pluginID+"-*.zip"))
	for _, m := range matches {
		if !strings.HasSuffix(m, "-jre.zip") {
			return m
		}
	}
	t.Fatalf("no plain package in backend/plugin/target (%v): mvn -B -pl backend/plugin -am package -DskipTests", matches)
	return ""
}

// unzipPlugin installs archive into a fresh plugins folder and returns the launcher Grafana would pick.
func unzipPlugin(t *testing.T, archive string) (dir, launcher string) {
	t.Helper()
	plugins, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	unzipLikeUnzip(t, archive, plugins)
	dir = filepath.Join(plugins, pluginID)
	return dir, filepath.Join(dir, fmt.Sprintf("gpx_cql_%s_%s", runtime.GOOS, runtime.GOARCH))
}

// startsAndAnswers starts the wrapper as Grafana does, checks that the process runs wantJava, answers the
// self-test query and CheckHealth (OK against the test node when CQL_TEST_HOST is set), and that nothing on
// stderr is a JVM warning: no CDS error, no "restricted method", no Unsafe deprecation notice.
func startsAndAnswers(t *testing.T, wrapper, wantJava string, extraEnv ...string) {
	t.Helper()
	h, err := startPluginAt(wrapper, extraEnv...)
	if err != nil {
		t.Fatalf("the plugin did not start: %v", err)
	}
	defer func() {
		h.kill()
		if t.Failed() {
			t.Logf("plugin stderr:\n%s", h.stderr.String())
		}
	}()
	t.Logf("handshake and dispense in %v", h.startTook.Round(time.Millisecond))
	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", h.cmd.Process.Pid))
	if err != nil {
		t.Fatalf("cannot read the plugin process' executable: %v", err)
	}
	if exe != wantJava {
		t.Errorf("the plugin process runs %s, want %s", exe, wantJava)
	}
	if _, raw := h.queryData(t, newSettings(t, nil, nil), selftestQuery("A")); raw.Responses["A"] == nil || raw.Responses["A"].Status != 200 {
		t.Errorf("self-test: %v, want status 200", raw.Responses["A"])
	}
	if host := os.Getenv("CQL_TEST_HOST"); host != "" {
		res := h.checkHealth(t, newSettings(t, map[string]any{"contactPoints": host, "connectTimeoutSeconds": 10},
			map[string]string{"username": cqlEnv("CQL_TEST_USER", "cassandra"), "password": cqlEnv("CQL_TEST_PASSWORD", "cassandra")}))
		if res.Status != pluginv2.CheckHealthResponse_OK {
			t.Errorf("CheckHealth against %s: %v %q, want OK", host, res.Status, res.Message)
		}
	}
	for _, line := range h.stderr.Since(0) {
		low := strings.ToLower(line)
		if strings.Contains(low, "[cds") || strings.Contains(low, "[aot") || strings.Contains(low, "shared archive") || strings.Contains(low, "restricted method") ||
			strings.Contains(line, "WARNING:") || strings.Contains(low, "sun.misc.unsafe") {
			t.Errorf("JVM warning on stderr: %s", line)
		}
	}
}

// failsWithOneLine runs the wrapper as Grafana does and expects it to exit non-zero at once with nothing on
// stdout (the handshake's) and exactly one line on stderr that contains every one of want.
func failsWithOneLine(t *testing.T, wrapper string, env []string, want ...string) string {
	t.Helper()
	cmd := exec.Command(wrapper)
	cmd.Env = append(grafanaEnv(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatalf("the launcher exited 0 without a Java to run; stderr: %s", stderr.String())
		}
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("the launcher did not exit within 30 s; stderr: %s", stderr.String())
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout (go-plugin's handshake channel) got %q", stdout.String())
	}
	lines := strings.Split(strings.TrimRight(stderr.String(), "\n"), "\n")
	if len(lines) != 1 {
		t.Errorf("stderr has %d lines, want one clear line in Grafana's log:\n%s", len(lines), stderr.String())
	}
	for _, w := range want {
		if !strings.Contains(lines[0], w) {
			t.Errorf("the error line does not say %q: %s", w, lines[0])
		}
	}
	t.Logf("stderr: %s", lines[0])
	return lines[0]
}

func realJava(t *testing.T, home string) string {
	t.Helper()
	p, err := filepath.EvalSymlinks(filepath.Join(home, "bin", "java"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLauncherPlainZipHasNoRuntimeNorArchive: the plain package carries neither jre/ nor the CDS archive, which
// maps only into the JVM that made it.
func TestLauncherPlainZipHasNoRuntimeNorArchive(t *testing.T) {
	dir, _ := unzipPlugin(t, plainZip(t))
	for _, p := range []string{"jre", "lib/app.jsa"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
			t.Errorf("the plain package contains %s", p)
		}
	}
}

// TestLauncherBundledRuntimeWithNoSystemJava: the -jre package on a glibc host with no Java at all runs its own
// runtime, with its CDS archive and no warning.
func TestLauncherBundledRuntimeWithNoSystemJava(t *testing.T) {
	dir, launcher := unzipPlugin(t, jreZip(t))
	startsAndAnswers(t, sandboxed(t, launcher), filepath.Join(dir, "jre", "bin", "java"))
}

// TestLauncherJvmOptsMayChooseTheCollector: jvm_opts naming a garbage collector (GF_PLUGIN_JVM_OPTS=-XX:+UseG1GC)
// replaces the launcher's serial collector, where the JVM used to refuse to start ("Multiple garbage collectors
// selected"); the bundled runtime still maps its archive without a warning, and the process runs that collector.
func TestLauncherJvmOptsMayChooseTheCollector(t *testing.T) {
	dir, launcher := unzipPlugin(t, jreZip(t))
	startsAndAnswers(t, sandboxed(t, launcher), filepath.Join(dir, "jre", "bin", "java"), "GF_PLUGIN_JVM_OPTS=-XX:+UseG1GC")
	h, err := startPluginAt(sandboxed(t, launcher), "GF_PLUGIN_JVM_OPTS=-XX:+UseParallelGC")
	if err != nil {
		t.Fatalf("the plugin did not start with -XX:+UseParallelGC: %v", err)
	}
	defer h.kill()
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", h.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	args := strings.Split(string(cmdline), "\x00")
	if !slices.Contains(args, "-XX:+UseParallelGC") || slices.Contains(args, "-XX:+UseSerialGC") {
		t.Errorf("the JVM's options %q: want -XX:+UseParallelGC alone", args)
	}
}

// TestLauncherPlainZipWithOnlySystemJava17: the plain package on a host whose only Java is a distribution's
// Java 17 (/usr/bin/java, found through the shell's default PATH: Grafana passes none).
func TestLauncherPlainZipWithOnlySystemJava17(t *testing.T) {
	j17 := javaWith(t, "Java 17", func(m int) bool { return m == 17 })
	_, launcher := unzipPlugin(t, plainZip(t))
	startsAndAnswers(t, sandboxed(t, launcher, j17), realJava(t, j17.home))
}

// TestLauncherPlainZipWithOnlyJava25: the plain package on a host whose only Java is a newer release (found in
// /usr/lib/jvm): no CDS error, no "restricted method" or Unsafe warning.
func TestLauncherPlainZipWithOnlyJava25(t *testing.T) {
	j := javaWith(t, "Java 24 or newer", func(m int) bool { return m >= 24 })
	_, launcher := unzipPlugin(t, plainZip(t))
	startsAndAnswers(t, sandboxed(t, launcher, j), realJava(t, j.home))
}

// TestLauncherJavaHomeFromGrafanaIni: java_home under [plugin.opencql-cql-datasource] (GF_PLUGIN_JAVA_HOME) wins
// over the Java found on the default PATH.
func TestLauncherJavaHomeFromGrafanaIni(t *testing.T) {
	j17 := javaWith(t, "Java 17", func(m int) bool { return m == 17 })
	j := javaWith(t, "Java 24 or newer", func(m int) bool { return m >= 24 })
	_, launcher := unzipPlugin(t, plainZip(t))
	startsAndAnswers(t, sandboxed(t, launcher, j17, j), realJava(t, j.home), "GF_PLUGIN_JAVA_HOME="+j.home)
}

// TestLauncherBundledRuntimeOnMuslFallsBackToSystemJava: the -jre package (glibc runtime) on a musl host with a
// Java installed runs that Java, without the bundled runtime's CDS archive.
func TestLauncherBundledRuntimeOnMuslFallsBackToSystemJava(t *testing.T) {
	j := javaWith(t, "Java 24 or newer", func(m int) bool { return m >= 24 })
	_, launcher := unzipPlugin(t, jreZip(t))
	startsAndAnswers(t, sandboxed(t, launcher, j), realJava(t, j.home), fakeMuslLoader(t))
}

// TestLauncherBundledRuntimeOnMuslWithoutJava: the -jre package on a musl host with no Java: one line naming why
// the bundled runtime was not used and what to do.
func TestLauncherBundledRuntimeOnMuslWithoutJava(t *testing.T) {
	_, launcher := unzipPlugin(t, jreZip(t))
	failsWithOneLine(t, sandboxed(t, launcher), []string{fakeMuslLoader(t)},
		"musl", "Java 17 or newer", "-ubuntu", "docker/Dockerfile")
}

// TestLauncherNoUsableJava: the plain package on a host with no Java: one line naming the choices.
func TestLauncherNoUsableJava(t *testing.T) {
	_, launcher := unzipPlugin(t, plainZip(t))
	failsWithOneLine(t, sandboxed(t, launcher), nil, "no usable Java runtime", "Java 17 or newer", "java_home", "-ubuntu", "docker/Dockerfile")
}

// TestLauncherRefusesOldJava: a JAVA_HOME older than 17 is named in the line, not started (it would fail later
// with an UnsupportedClassVersionError in the middle of Grafana's log).
func TestLauncherRefusesOldJava(t *testing.T) {
	old := t.TempDir()
	if err := os.MkdirAll(filepath.Join(old, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(old, "release"), []byte("JAVA_VERSION=\"11.0.24\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// a java that must not be run: it would print on stdout, which breaks go-plugin's handshake
	if err := os.WriteFile(filepath.Join(old, "bin", "java"), []byte("#!/bin/sh\necho started-old-java\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, launcher := unzipPlugin(t, plainZip(t))
	failsWithOneLine(t, sandboxed(t, launcher), []string{"JAVA_HOME=" + old}, "JAVA_HOME ("+old+"/bin/java) is Java 11", "Java 17 or newer")
}
