package conformance

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

// emptyMsg stands in for go-plugin's plugin.Empty (an internal package): both are empty messages, so
// they are the same bytes on the wire. StdioData and ConnInfo replies decode into it as unknown fields.
type emptyMsg = emptypb.Empty

// TestGoPluginHealthServing: go-plugin's Ping (and the non-Go plugin guide) asks grpc.health.v1 for
// service "plugin"; the empty service name is the server as a whole.
func TestGoPluginHealthServing(t *testing.T) {
	h := sharedPlugin(t)
	for _, service := range []string{"plugin", ""} {
		res, err := grpc_health_v1.NewHealthClient(h.conn).Check(ctxTimeout(t, 10*time.Second),
			&grpc_health_v1.HealthCheckRequest{Service: service})
		if err != nil {
			t.Errorf("Health/Check %q failed: %v", service, err)
			continue
		}
		if res.Status != grpc_health_v1.HealthCheckResponse_SERVING {
			t.Errorf("Health/Check %q: %v, want SERVING", service, res.Status)
		}
	}
	if rpc, err := h.client.Client(); err != nil {
		t.Errorf("go-plugin client: %v", err)
	} else if err := rpc.Ping(); err != nil {
		t.Errorf("go-plugin ClientProtocol.Ping failed: %v", err)
	}
}

// TestGoPluginStdioStream: go-plugin opens plugin.GRPCStdio/StreamStdio right after connecting.
func TestGoPluginStdioStream(t *testing.T) {
	checkStdioStream(t, sharedPlugin(t).conn)
}

// TestGoPluginBrokerStream: go-plugin opens plugin.GRPCBroker/StartStream right after connecting.
func TestGoPluginBrokerStream(t *testing.T) {
	checkBrokerStream(t, sharedPlugin(t).conn)
}

// openStreamFor opens a raw stream, lets it run for d and returns the error that ended it, or nil if it
// was still open (a stream that stays open and sends nothing is fine for stdio and the broker).
func openStreamFor(t *testing.T, conn *grpc.ClientConn, method string, desc *grpc.StreamDesc, send bool, d time.Duration) (messages int, err error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cs, err := conn.NewStream(ctx, desc, method)
	if err != nil {
		return 0, err
	}
	if send {
		if err := cs.SendMsg(&emptyMsg{}); err != nil && !errors.Is(err, io.EOF) {
			return 0, err
		}
		if err := cs.CloseSend(); err != nil {
			return 0, err
		}
	}
	type result struct {
		err error
		n   int
	}
	done := make(chan result, 1)
	go func() {
		n := 0
		for {
			if err := cs.RecvMsg(&emptyMsg{}); err != nil {
				done <- result{err, n}
				return
			}
			n++
		}
	}()
	select {
	case r := <-done:
		return r.n, r.err
	case <-time.After(d):
		return -1, nil
	}
}

func checkStdioStream(t *testing.T, conn *grpc.ClientConn) {
	t.Helper()
	n, err := openStreamFor(t, conn, "/plugin.GRPCStdio/StreamStdio",
		&grpc.StreamDesc{StreamName: "StreamStdio", ServerStreams: true}, true, time.Second)
	switch {
	case err == nil:
		t.Logf("StreamStdio open (no error within 1 s)")
	case errors.Is(err, io.EOF):
		t.Logf("StreamStdio ended cleanly after %d messages", n)
	default:
		t.Errorf("plugin.GRPCStdio/StreamStdio failed: %v (code %v)", err, status.Code(err))
	}
}

func checkBrokerStream(t *testing.T, conn *grpc.ClientConn) {
	t.Helper()
	n, err := openStreamFor(t, conn, "/plugin.GRPCBroker/StartStream",
		&grpc.StreamDesc{StreamName: "StartStream", ServerStreams: true, ClientStreams: true}, false, time.Second)
	switch {
	case err == nil:
		t.Logf("GRPCBroker/StartStream open (no error within 1 s)")
	case status.Code(err) == codes.Unimplemented:
		t.Errorf("plugin.GRPCBroker/StartStream is not implemented: %v", err)
	default:
		t.Logf("GRPCBroker/StartStream ended after %d messages: %v", n, err)
	}
}
