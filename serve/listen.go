package serve

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// The timeouts of ListenAndServe.
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = 60 * time.Second // a large ingestion body has a minute
	WriteTimeout      = 60 * time.Second // the stream extends its own deadline
	IdleTimeout       = 2 * time.Minute
	ShutdownTimeout   = 20 * time.Second
)

// ListenAndServe serves s on l until ctx is done, ticking the tracker
// meanwhile (Run); then it shuts down gracefully: /readyz turns 503, the
// streams end, requests under way have ShutdownTimeout to finish, and with
// Config.SnapshotEvery a last snapshot of the tracker is written once the
// tick loop has stopped and a tick under way has ended. It returns (on
// every path) only after the tick loop has ended, so the caller may close
// the tracker then; nil after a shutdown that ctx asked for.
func ListenAndServe(ctx context.Context, l net.Listener, s *Server) error {
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          nil,
	}
	runCtx, cancelRun := context.WithCancel(ctx)
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		_ = s.Run(runCtx) // its error is only runCtx's
	}()
	// stopRun ends the tick loop and waits for a tick under way, so that
	// nothing ticks beside the final snapshot or the caller's closing of
	// the tracker.
	stopRun := func() {
		cancelRun()
		<-ran
	}
	defer stopRun()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.Shutdown()
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ShutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	stopRun()
	s.finalSnapshot(ctx)
	return nil
}

// Open is the Authenticator of a local trial: every request is an admin.
// Never use it on a server others can reach.
var Open Authenticator = openAuth{}

type openAuth struct{}

func (openAuth) Authenticate(*http.Request) (Identity, error) {
	return Identity{Viewer: adminViewer, Role: Admin}, nil
}
