// Command standin plays a sidecar or an app in the real-node tests (test/node/).
//
// A sidecar serves HTTP, TCP and gRPC health on the ports it is given and becomes
// ready after -ready-after (or never): before that HTTP answers 503, the TCP port
// is closed and gRPC health says NOT_SERVING; with -ready-file it also creates that
// file (for command checks). An app records when it started and may exit after
// -exit-after with -exit-code (a Job's app), or exit 1 at once unless -require-url
// answers 200 (an app that crashes without its sidecar).
//
// Every event is appended, as CLOCK_MONOTONIC nanoseconds (the host's clock too), to
// STAMPS/NAME.EVENT, one line per occurrence (a restarted container adds a line):
// start, ready, term (SIGTERM received), exit.
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

var (
	name       = flag.String("name", os.Getenv("STANDIN_NAME"), "container name: stamp files are STAMPS/NAME.EVENT (default $STANDIN_NAME)")
	stamps     = flag.String("stamps", "/stamps", "directory for stamp files")
	httpPort   = flag.Int("http", 0, "serve HTTP on this port: 503 before ready, 200 after")
	tcpPort    = flag.Int("tcp", 0, "listen on this TCP port once ready")
	grpcPort   = flag.Int("grpc", 0, "serve gRPC health on this port: NOT_SERVING before ready, SERVING after")
	readyAfter = flag.String("ready-after", "0s", `become ready after this duration, or "never"`)
	readyFile  = flag.String("ready-file", "", "create this file when ready")
	exitAfter  = flag.Duration("exit-after", 0, "exit after this duration (0: run until SIGTERM)")
	exitCode   = flag.Int("exit-code", 0, "exit code of -exit-after")
	termDelay  = flag.Duration("term-delay", 0, "on SIGTERM, wait this long before exiting")
	exitWhen   = flag.String("exit-when", "", "exit 0 once this file exists (a legacy sidecar told by a Job's app that it is done)")
	requireURL = flag.String("require-url", "", "at start, GET this URL; exit 1 unless it answers 200 (an app that crashes without its sidecar)")
)

// now is CLOCK_MONOTONIC in nanoseconds: the host reads the same clock (no time namespaces).
func now() int64 {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		panic(err)
	}
	return ts.Nano()
}

func stamp(event string) {
	line := strconv.FormatInt(now(), 10) + "\n"
	f, err := os.OpenFile(filepath.Join(*stamps, *name+"."+event), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o666)
	if err != nil {
		fmt.Fprintln(os.Stderr, "standin: stamp:", err)
		return
	}
	defer f.Close()
	if _, err := f.WriteString(line); err != nil {
		fmt.Fprintln(os.Stderr, "standin: stamp:", err)
	}
}

func listen(port int) net.Listener {
	l, err := net.Listen("tcp", ":"+strconv.Itoa(port))
	if err != nil {
		fmt.Fprintln(os.Stderr, "standin:", err)
		os.Exit(2)
	}
	return l
}

func main() {
	flag.Parse()
	if *name == "" {
		fmt.Fprintln(os.Stderr, "standin: -name is required")
		os.Exit(2)
	}
	stamp("start")
	fmt.Printf("standin %s: started\n", *name)
	if *requireURL != "" {
		client := http.Client{Timeout: time.Second}
		resp, err := client.Get(*requireURL)
		if err == nil {
			resp.Body.Close()
		}
		if err != nil || resp.StatusCode != http.StatusOK {
			fmt.Fprintf(os.Stderr, "standin %s: %s is not ready (%v): exit 1\n", *name, *requireURL, err)
			stamp("exit")
			os.Exit(1)
		}
	}

	var ready atomic.Bool
	if *httpPort != 0 {
		l := listen(*httpPort)
		go http.Serve(l, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if ready.Load() {
				fmt.Fprintln(w, "ready")
				return
			}
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "not ready")
		}))
	}
	var grpcHealth *health.Server
	if *grpcPort != 0 {
		l := listen(*grpcPort)
		server := grpc.NewServer()
		grpcHealth = health.NewServer()
		grpcHealth.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING)
		healthpb.RegisterHealthServer(server, grpcHealth)
		go server.Serve(l)
	}
	becomeReady := func() {
		if *tcpPort != 0 {
			l := listen(*tcpPort)
			go func() {
				for {
					c, err := l.Accept()
					if err != nil {
						return
					}
					c.Close()
				}
			}()
		}
		if *readyFile != "" {
			if err := os.WriteFile(*readyFile, []byte("ready\n"), 0o644); err != nil {
				fmt.Fprintln(os.Stderr, "standin: ready file:", err)
			}
		}
		ready.Store(true)
		if grpcHealth != nil {
			grpcHealth.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
		}
		stamp("ready")
		fmt.Printf("standin %s: ready\n", *name)
	}
	if *readyAfter != "never" {
		delay, err := time.ParseDuration(*readyAfter)
		if err != nil {
			fmt.Fprintln(os.Stderr, "standin: -ready-after:", err)
			os.Exit(2)
		}
		time.AfterFunc(delay, becomeReady)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	var exitTimer <-chan time.Time
	if *exitAfter > 0 {
		exitTimer = time.After(*exitAfter)
	}
	exitFile := make(chan struct{})
	if *exitWhen != "" {
		go func() {
			for {
				if _, err := os.Stat(*exitWhen); err == nil {
					close(exitFile)
					return
				}
				time.Sleep(50 * time.Millisecond)
			}
		}()
	}
	code := 0
	select {
	case <-exitFile:
	case <-ctx.Done():
		stamp("term")
		time.Sleep(*termDelay)
	case <-exitTimer:
		code = *exitCode
	}
	stamp("exit")
	fmt.Printf("standin %s: exit %d\n", *name, code)
	os.Exit(code)
}
