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
)

// The demo keyspace (backend/demo-seed) on the test node, seeded by the seeder's own jar once per run, as the
// demo's seed container does. A rerun rewrites the same rows (values are a function of sensor and time), so no
// --drop: the node may be shared with other suites.

// demoSensors are the seeder's built-in sensors (SensorCatalog.BUILT_IN), what the demo's variable lists.
var demoSensors = []string{"hq-office-1", "hq-office-2", "hq-server-room", "plant-line-1", "plant-line-2",
	"plant-yard", "wh-freezer-1", "wh-dock"}

var (
	demoOnce sync.Once
	demoErr  error
)

// seederJar finds backend/demo-seed/target/demo-seed-*-all.jar.
func seederJar() (string, error) {
	matches, _ := filepath.Glob(filepath.Join("..", "backend", "demo-seed", "target", "demo-seed-*-all.jar"))
	if len(matches) == 0 {
		return "", fmt.Errorf("the demo seeder jar backend/demo-seed/target/demo-seed-<version>-all.jar is missing; " +
			"build it with: mvn -B -q -o -pl backend/demo-seed package -DskipTests")
	}
	return filepath.Abs(matches[len(matches)-1])
}

// javaForSeeder is $JAVA_HOME/bin/java, else java on the PATH (the seeder is a tool of the test, not the plugin).
func javaForSeeder() (string, error) {
	if home := os.Getenv("JAVA_HOME"); home != "" {
		if p := filepath.Join(home, "bin", "java"); fileExists(p) {
			return p, nil
		}
	}
	p, err := exec.LookPath("java")
	if err != nil {
		return "", fmt.Errorf("no java to run the demo seeder (set JAVA_HOME or put java on the PATH): %w", err)
	}
	return p, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// requireDemo seeds keyspace demo on CQL_TEST_HOST once per run and fails the test when that is impossible
// (no node, no jar, seeder failed). Without CQL_TEST_HOST the test is skipped like every real-node case.
func requireDemo(t *testing.T) {
	t.Helper()
	host := os.Getenv("CQL_TEST_HOST")
	if host == "" {
		t.Skip("CQL_TEST_HOST not set (e.g. 127.0.0.1:19042); skipping real-node case")
	}
	demoOnce.Do(func() {
		jar, err := seederJar()
		if err != nil {
			demoErr = err
			return
		}
		java, err := javaForSeeder()
		if err != nil {
			demoErr = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, java, "-jar", jar, "--contact-points", host,
			"--username", cqlEnv("CQL_TEST_USER", "cassandra"), "--password", cqlEnv("CQL_TEST_PASSWORD", "cassandra"))
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		t0 := time.Now()
		if err := cmd.Run(); err != nil {
			demoErr = fmt.Errorf("demo seeder %s against %s failed after %v: %w\n%s", jar, host, time.Since(t0).Round(time.Millisecond), err, out.String())
			return
		}
		fmt.Printf("conformance: demo seeded in %v: %s\n", time.Since(t0).Round(time.Millisecond), strings.TrimSpace(lastLine(out.String())))
	})
	if demoErr != nil {
		t.Fatalf("cannot seed the demo keyspace: %v", demoErr)
	}
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}
