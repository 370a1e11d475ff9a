package io.opencql.grafana.transport;

import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the plugin when the process that started it (Grafana) is gone. A SIGKILLed or crashed Grafana cannot send
 * Shutdown or SIGTERM; without this the plugin's JVM lives on as an orphan holding its sessions, connections and
 * memory, and every Grafana restart adds one.
 *
 * <p>Polls rather than {@code parent.onExit()}: for a process that is not its child the JDK polls as well, and
 * comparing the parent pid also catches the re-parenting itself (to init or a sub-reaper), whatever became of the
 * old pid.
 */
final class ParentWatch {

    private static final Logger LOG = LoggerFactory.getLogger(ParentWatch.class);
    static final Duration PERIOD = Duration.ofMillis(500);

    private ParentWatch() {
    }

    /**
     * Calls {@code onOrphaned} once, from a daemon thread, when this process's parent changes or exits. Does nothing
     * when there is no parent to watch (pid 1: started by init or as a container's entry point).
     */
    static void start(Runnable onOrphaned) {
        Optional<ProcessHandle> parent = ProcessHandle.current().parent();
        if (parent.isEmpty() || parent.get().pid() <= 1) {
            LOG.debug("no parent process to watch");
            return;
        }
        long ppid = parent.get().pid();
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(PERIOD.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                long now = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
                if (now != ppid || !parent.get().isAlive()) {
                    LOG.atWarn().addKeyValue("parentPid", ppid)
                            .log("the process that started the plugin (pid {}) is gone; stopping", ppid);
                    onOrphaned.run();
                    return;
                }
            }
        }, "parent-watch");
        t.setDaemon(true);
        t.start();
    }
}
