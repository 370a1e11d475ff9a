package conformance

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// The distribution archive with its bundled Java runtime, installed the way README "Install the package"
// says: unzip into Grafana's plugin folder, nothing else. Grafana then starts the launcher with no PATH and no
// JAVA_HOME, so the bundled runtime must be the one that runs.

// jreZip finds backend/plugin/target/opencql-cql-datasource-*-jre.zip for this machine's OS and architecture.
func jreZip(t *testing.T) string {
	t.Helper()
	pattern := filepath.Join("..", "backend", "plugin", "target", "opencql-cql-datasource-*-jre.zip")
	matches, _ := filepath.Glob(pattern)
	if len(matches) == 0 {
		t.Fatalf("no %s: build the package with its runtime first (mvn -B -pl backend/plugin -am package -Pbundle-jre -DskipTests; "+
			"tools/test.sh builds it)", pattern)
	}
	platform := strings.ToLower(fmt.Sprintf("-%s-%s-jre.zip", runtime.GOOS, runtime.GOARCH))
	for _, m := range matches {
		if strings.HasSuffix(strings.ToLower(m), platform) {
			return m
		}
	}
	if len(matches) == 1 {
		return matches[0]
	}
	t.Fatalf("none of %v is for %s/%s", matches, runtime.GOOS, runtime.GOARCH)
	return ""
}

// unzipLikeUnzip extracts the archive into dir as unzip does: directories, files with their mode and
// modification time, symbolic links; an entry that would land outside dir fails the test.
func unzipLikeUnzip(t *testing.T, archive, dir string) []*zip.File {
	t.Helper()
	r, err := zip.OpenReader(archive)
	if err != nil {
		t.Fatalf("%s is not a zip archive: %v", archive, err)
	}
	defer r.Close()
	for _, f := range r.File {
		target := filepath.Join(dir, filepath.FromSlash(f.Name))
		if !strings.HasPrefix(target, dir+string(os.PathSeparator)) {
			t.Fatalf("entry %q would be written outside the plugin folder", f.Name)
		}
		mode := f.Mode()
		switch {
		case mode.IsDir():
			if err := os.MkdirAll(target, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		case mode&os.ModeSymlink != 0:
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			link, _ := io.ReadAll(rc)
			rc.Close()
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(string(link), target); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			t.Fatal(err)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("entry %s: %v", f.Name, err)
		}
		out, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode.Perm())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(out, rc); err != nil {
			t.Fatalf("entry %s: %v", f.Name, err)
		}
		rc.Close()
		if err := out.Close(); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(target, mode.Perm()); err != nil { // not subject to the umask, as unzip
			t.Fatal(err)
		}
		if err := os.Chtimes(target, f.Modified, f.Modified); err != nil {
			t.Fatal(err)
		}
	}
	return r.File
}

// TestPackageZipInstallsByUnzipping: the -jre.zip holds exactly one folder opencql-cql-datasource/ with
// plugin.json, module.js, the four launchers (mode 0755), lib/*.jar and jre/bin/java; unzipped, its launcher
// starts through go-plugin with Grafana's environment (no PATH, no JAVA_HOME), answers the self-test, and the
// running process is the bundled jre/bin/java inside the unzipped folder.
func TestPackageZipInstallsByUnzipping(t *testing.T) {
	archive := jreZip(t)
	plugins, err := filepath.EvalSymlinks(t.TempDir()) // Grafana's plugin folder; /proc/<pid>/exe is resolved
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	entries := unzipLikeUnzip(t, archive, plugins)
	t.Logf("unzipped %s (%d entries) in %v", filepath.Base(archive), len(entries), time.Since(t0).Round(time.Millisecond))

	top := map[string]bool{}
	for _, f := range entries {
		top[strings.SplitN(f.Name, "/", 2)[0]] = true
	}
	if len(top) != 1 || !top[pluginID] {
		t.Fatalf("top-level entries %v, want exactly one folder %s/", keys(top), pluginID)
	}
	dir := filepath.Join(plugins, pluginID)

	var meta struct {
		ID         string `json:"id"`
		Type       string `json:"type"`
		Backend    bool   `json:"backend"`
		Executable string `json:"executable"`
	}
	if b, err := os.ReadFile(filepath.Join(dir, "plugin.json")); err != nil {
		t.Errorf("plugin.json: %v", err)
	} else if err := json.Unmarshal(b, &meta); err != nil {
		t.Errorf("plugin.json is not JSON: %v", err)
	} else if meta.ID != pluginID || meta.Type != "datasource" || !meta.Backend || meta.Executable != "gpx_cql" {
		t.Errorf("plugin.json id %q type %q backend %v executable %q, want %s datasource true gpx_cql", meta.ID, meta.Type, meta.Backend, meta.Executable, pluginID)
	}
	if st, err := os.Stat(filepath.Join(dir, "module.js")); err != nil || st.Size() == 0 {
		t.Errorf("module.js missing or empty: %v", err)
	}
	for _, osName := range []string{"linux", "darwin"} {
		for _, arch := range []string{"amd64", "arm64"} {
			p := filepath.Join(dir, fmt.Sprintf("gpx_cql_%s_%s", osName, arch))
			st, err := os.Stat(p)
			if err != nil {
				t.Errorf("launcher %s missing: %v", filepath.Base(p), err)
				continue
			}
			if st.Mode().Perm() != 0o755 {
				t.Errorf("launcher %s has mode %v after unzip, want 0755 (Grafana cannot exec it otherwise)", filepath.Base(p), st.Mode().Perm())
			}
		}
	}
	jars, _ := filepath.Glob(filepath.Join(dir, "lib", "*.jar"))
	if len(jars) == 0 {
		t.Errorf("no lib/*.jar")
	}
	java := filepath.Join(dir, "jre", "bin", "java")
	if st, err := os.Stat(java); err != nil || st.Mode().Perm()&0o111 == 0 {
		t.Fatalf("jre/bin/java missing or not executable: %v", err)
	}

	launcher := filepath.Join(dir, fmt.Sprintf("gpx_cql_%s_%s", runtime.GOOS, runtime.GOARCH))
	h, err := startPluginAt(launcher)
	if err != nil {
		t.Fatalf("the unzipped plugin did not start with Grafana's environment (no PATH, no JAVA_HOME): %v", err)
	}
	defer func() {
		took := h.kill()
		t.Logf("stopped in %v", took.Round(time.Millisecond))
		if t.Failed() {
			t.Logf("plugin stderr:\n%s", h.stderr.String())
		}
	}()
	t.Logf("handshake and dispense in %v (pid %d)", h.startTook.Round(time.Millisecond), h.cmd.Process.Pid)

	res, raw := h.queryData(t, newSettings(t, nil, nil), selftestQuery("A"))
	if a := raw.Responses["A"]; a == nil || a.Status != 200 {
		t.Errorf("self-test: %v, want status 200", a)
	} else if dr := res.Responses["A"]; dr.Status != backend.StatusOK || len(dr.Frames) != 1 {
		t.Errorf("self-test: status %d, %d frames", dr.Status, len(dr.Frames))
	} else {
		checkSelftestFrame(t, dr.Frames[0], "A")
	}

	exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", h.cmd.Process.Pid))
	if err != nil {
		t.Fatalf("cannot read the plugin process' executable: %v", err)
	}
	wantExe, _ := filepath.EvalSymlinks(java)
	if exe != wantExe {
		t.Errorf("the plugin process runs %s, want the bundled runtime %s (the launcher must exec it)", exe, wantExe)
	}
	for _, line := range h.stderr.Since(0) {
		if strings.Contains(line, "[cds") || strings.Contains(line, "[aot") || strings.Contains(strings.ToLower(line), "shared archive") {
			t.Errorf("the start-up archive (CDS, or the AOT cache on Java 25+) does not map after unzip: %s", line)
		}
	}
	// and the process really maps it (a JVM may also drop an archive silently)
	if maps, err := os.ReadFile(fmt.Sprintf("/proc/%d/maps", h.cmd.Process.Pid)); err != nil {
		t.Errorf("cannot read the plugin's memory map: %v", err)
	} else if !strings.Contains(string(maps), filepath.Join("lib", "app.jsa")) {
		t.Errorf("the plugin process does not map lib/app.jsa: started without its start-up archive")
	}
}

// TestPackageDamagedCDSArchiveIsSkipped: a damaged lib/app.jsa (a torn copy, a bad disk; same size and mtime, so
// only its checksums tell) must not crash the JVM, whose crash report would go to stdout, where go-plugin expects
// the handshake alone. The plugin starts without the archive, says so on stderr, and answers.
func TestPackageDamagedCDSArchiveIsSkipped(t *testing.T) {
	archive := jreZip(t)
	plugins := t.TempDir()
	unzipLikeUnzip(t, archive, plugins)
	dir := filepath.Join(plugins, pluginID)
	jsa := filepath.Join(dir, "lib", "app.jsa")
	st, err := os.Stat(jsa)
	if err != nil {
		t.Fatalf("the package has no CDS archive: %v", err)
	}
	if err := os.Chmod(jsa, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(jsa, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	junk := make([]byte, 64<<10)
	for i := range junk {
		junk[i] = byte(i*131 + 7)
	}
	if _, err := f.WriteAt(junk, st.Size()/100); err != nil { // inside the first mapped region
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(jsa, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}

	h, err := startPluginAt(filepath.Join(dir, fmt.Sprintf("gpx_cql_%s_%s", runtime.GOOS, runtime.GOARCH)))
	if err != nil {
		t.Fatalf("the plugin with a damaged CDS archive did not start (a JVM crash report on stdout breaks the handshake): %v", err)
	}
	defer h.kill()
	t.Logf("handshake and dispense in %v", h.startTook.Round(time.Millisecond))
	if _, raw := h.queryData(t, newSettings(t, nil, nil), selftestQuery("A")); raw.Responses["A"] == nil || raw.Responses["A"].Status != 200 {
		t.Errorf("self-test: %v, want status 200", raw.Responses["A"])
	}
	warned := false
	for _, line := range h.stderr.Since(0) {
		// Java 17's CDS names the file; Java 25's AOT cache says "AOT cache" on an [aot] line
		if strings.Contains(line, "app.jsa") || (strings.Contains(line, "[aot") && strings.Contains(line, "AOT cache")) {
			warned = true
			t.Logf("stderr: %s", line)
		}
	}
	if !warned {
		t.Errorf("nothing on stderr says the archive lib/app.jsa was skipped")
	}
}

// TestPackageStartupArchiveHoldsAQuerysPath: on a bundled Java 25+, the start-up archive is trained with calls as
// Grafana makes them (make-cds-archive.sh runs io.opencql.plugin.TrainingRun against the recording plugin), not only
// with the start: every class of the plugin, the SDK, gRPC, protobuf, Arrow and Jackson that the plugin has loaded by the end of a
// self-test query (its decoding, the middleware, the Arrow encoding) came from lib/app.jsa, none from a jar. With
// an archive of the start alone, the query's classes are read from the jars on the first query, and on Java 25 the
// JIT has no profile of them (docs/performance.md, "Training the start-up archive").
func TestPackageStartupArchiveHoldsAQuerysPath(t *testing.T) {
	dir, launcher := unzipPlugin(t, jreZip(t))
	if major := releaseMajor(filepath.Join(dir, "jre", "release")); major < 25 {
		t.Skipf("the bundled runtime is Java %d: its archive holds the start-up alone (no method profiles to train; "+
			"make-cds-archive.sh)", major)
	}
	// appended last by the launcher: class loading at info on stderr, beside the launcher's warnings
	h, err := startPluginAt(launcher, "GF_PLUGIN_JVM_OPTS=-Xlog:class+load=info:stderr")
	if err != nil {
		t.Fatalf("the unzipped plugin did not start: %v", err)
	}
	defer h.kill()
	_, raw := h.queryData(t, newSettings(t, nil, nil), selftestQuery("A"))
	if a := raw.Responses["A"]; a == nil || a.Status != 200 {
		t.Fatalf("self-test: %v, want status 200", a)
	}
	fromArchive, fromJars := archivedClasses(h, "io.opencql.", "io.grpc.", "com.google.protobuf.", "org.apache.arrow.", "com.fasterxml.jackson.")
	sawRunner := fromArchive["io.opencql.grafana.query.QueryRunner"]
	if len(fromJars) > 0 {
		t.Errorf("%d classes of a self-test query were read from jars, not from the start-up archive (trained without "+
			"the query?), e.g. %s", len(fromJars), firstTen(fromJars))
	}
	if !sawRunner {
		t.Errorf("no class+load line says io.opencql.grafana.query.QueryRunner came from the archive (%d classes did): "+
			"the check saw no query path", len(fromArchive))
	}
	t.Logf("%d classes of the plugin's libraries came from the archive", len(fromArchive))
}

// TestPackageStartupArchiveHoldsANodeQuerysPath: a build told to train on a node (CQL_TRAIN_HOST, as tools/test.sh
// and tools/package.sh do) holds a real query's path in the archive too: the driver's session, its codecs and
// the result reader, loaded, linked and profiled, which is what makes a dashboard's first minutes fast
// (docs/performance.md). The query is not one of the training's.
func TestPackageStartupArchiveHoldsANodeQuerysPath(t *testing.T) {
	if os.Getenv("CQL_TRAIN_HOST") == "" {
		t.Skip("CQL_TRAIN_HOST not set: the package's archive was trained without a node")
	}
	s := cqlSettings(t, nil, nil)
	dir, launcher := unzipPlugin(t, jreZip(t))
	if major := releaseMajor(filepath.Join(dir, "jre", "release")); major < 25 {
		t.Skipf("the bundled runtime is Java %d: its archive holds the start-up alone", major)
	}
	h, err := startPluginAt(launcher, "GF_PLUGIN_JVM_OPTS=-Xlog:class+load=info:stderr")
	if err != nil {
		t.Fatalf("the unzipped plugin did not start: %v", err)
	}
	defer h.kill()
	_, raw := h.queryData(t, s, cqlQuery("A", map[string]any{"format": "table",
		"cql": "SELECT keyspace_name, table_name, default_time_to_live, crc_check_chance FROM system_schema.tables LIMIT 30"}))
	if a := raw.Responses["A"]; a == nil || a.Status != 200 || len(a.Frames) == 0 {
		t.Fatalf("query: %v, want status 200 and a frame", a)
	}
	fromArchive, fromJars := archivedClasses(h, "io.opencql.", "com.datastax.oss.")
	// The plugin's own classes must all come from the archive. The driver's may not all: those that parse a
	// keyspace's schema (its tables, types, replication) depend on what the node holds, and the node trained on
	// need not hold what this one does. So the driver is checked by the classes of the query's path.
	var ours []string
	for _, c := range fromJars {
		if strings.HasPrefix(c, "io.opencql.") {
			ours = append(ours, c)
		}
	}
	if len(ours) > 0 {
		t.Errorf("%d classes of the plugin were read from jars by a query on the node, not from the archive "+
			"(CQL_TRAIN_HOST=%s: did make-cds-archive.sh train on it?), e.g. %s", len(ours), os.Getenv("CQL_TRAIN_HOST"), firstTen(ours))
	}
	for _, c := range []string{
		"io.opencql.cql.internal.query.ResultReader", "io.opencql.cql.internal.query.CqlTypes",
		"com.datastax.oss.driver.internal.core.session.DefaultSession", "com.datastax.oss.driver.internal.core.cql.CqlRequestHandler",
		"com.datastax.oss.driver.internal.core.cql.DefaultRow", "com.datastax.oss.driver.internal.core.type.codec.IntCodec",
		"com.datastax.oss.driver.internal.core.type.codec.DoubleCodec",
	} {
		if !fromArchive[c] {
			t.Errorf("no class+load line says %s came from the archive (%d classes did; CQL_TRAIN_HOST=%s)", c,
				len(fromArchive), os.Getenv("CQL_TRAIN_HOST"))
		}
	}
	t.Logf("%d classes of the driver were read from jars (a keyspace's schema that the training node did not hold may be), e.g. %s",
		len(fromJars)-len(ours), firstTen(fromJars))
	t.Logf("%d classes of the plugin and the driver came from the archive", len(fromArchive))
}

// archivedClasses reads the plugin's -Xlog:class+load lines so far: the classes of the named packages that came
// from the start-up archive, and those read from a jar (name and source).
func archivedClasses(h *pluginHost, prefixes ...string) (map[string]bool, []string) {
	fromArchive := map[string]bool{}
	var fromJars []string
	for _, line := range h.stderr.Since(0) {
		i := strings.Index(line, "[class,load] ")
		if i < 0 {
			continue
		}
		name, source, _ := strings.Cut(line[i+len("[class,load] "):], " source: ")
		mine := false
		for _, p := range prefixes {
			mine = mine || strings.HasPrefix(name, p)
		}
		if !mine || strings.HasPrefix(source, "__") || strings.Contains(name, "/0x") {
			continue // dynamic proxies, lambda forms and hidden classes are made at run time, never read from a file
		}
		if strings.Contains(name, ".netty.buffer.") && strings.HasSuffix(name, "Event") {
			continue // Netty's JFR events: the JVM never writes a JFR event class into the archive
		}
		if strings.HasPrefix(source, "shared objects file") {
			fromArchive[name] = true
		} else {
			fromJars = append(fromJars, name+" ("+source+")")
		}
	}
	return fromArchive, fromJars
}

func firstTen(s []string) string {
	if len(s) > 10 {
		s = s[:10]
	}
	return strings.Join(s, "; ")
}
