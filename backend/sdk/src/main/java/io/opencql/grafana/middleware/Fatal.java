package io.opencql.grafana.middleware;

/** The failures no handler's answer may hide: the JVM itself is broken (an OutOfMemoryError is one call's, though). */
final class Fatal {

    private Fatal() {
    }

    static void rethrow(Throwable t) {
        if (t instanceof VirtualMachineError vme && !(t instanceof OutOfMemoryError)) {
            throw vme;
        }
    }
}
