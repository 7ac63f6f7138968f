package publish

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// lockInfo is what the lock file says: which process publishes into the
// folder, on which computer, since when.
type lockInfo struct {
	PID     int       `json:"pid"`
	Host    string    `json:"host"`
	Started time.Time `json:"started"`
}

func (l lockInfo) marshal() []byte {
	data, _ := json.Marshal(l) // plain fields always encode
	return append(data, '\n')
}

func parseLock(data []byte) (lockInfo, error) {
	var l lockInfo
	if err := json.Unmarshal(data, &l); err != nil {
		return l, fmt.Errorf("not a loa publish lock: %w", err)
	}
	if l.PID <= 0 || l.Host == "" {
		return l, errors.New("not a loa publish lock: no process or host")
	}
	return l, nil
}

func (l lockInfo) describe() string {
	return fmt.Sprintf("process %d on %s, started %s", l.PID, printable(l.Host), l.Started.Format("2006-01-02 15:04:05 -07:00"))
}

// lock makes sure no other publish writes into the folder while this one
// does: it creates the lock file with O_EXCL, so that of two publishes only
// one can. A lock left by a publish that was killed on this computer (its
// process is gone) is taken over; a lock from another computer is not,
// since loa cannot see that computer's processes: the message says how to
// remove it. The returned function removes the lock again.
func (p *publisher) lock() (func() error, error) {
	host, alive := p.opts.hooks.host, p.opts.hooks.alive
	if host == "" {
		host, _ = os.Hostname()
	}
	if alive == nil {
		alive = processAlive
	}
	now := time.Now
	if p.opts.hooks.now != nil {
		now = p.opts.hooks.now
	}
	me := lockInfo{PID: os.Getpid(), Host: host, Started: now().Truncate(time.Second)}
	mine := me.marshal()
	release := func() error {
		data, err := fs.ReadFile(p.t.FS(), lockName)
		if err != nil || !bytes.Equal(data, mine) {
			return nil // not ours any more: someone removed it by hand
		}
		if err := p.t.Remove(lockName); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return ioError(p.show(lockName), "cannot remove the lock of this publish", err, "remove it by hand")
		}
		return nil
	}
	// Each round either creates the lock, stops, or removes a dead
	// publish's lock; a third round only comes when other publishes raced
	// for the same dead lock, and then the next round meets the winner's.
	for range 3 {
		err := createExcl(p.t, lockName, mine)
		if err == nil {
			return release, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			e := ioError(p.opts.To, "loa cannot write in this folder", err, "run loa publish again")
			e.Fix = "nothing was changed; " + e.Fix
			return nil, e
		}
		data, err := fs.ReadFile(p.t.FS(), lockName)
		if errors.Is(err, fs.ErrNotExist) {
			continue // released meanwhile
		}
		var other lockInfo
		if err == nil {
			other, err = parseLock(data)
		}
		switch {
		case err != nil:
			return nil, &Error{Path: p.show(lockName), Problem: "another loa publish may be publishing into this folder (its lock cannot be read)", Err: err,
				Fix: "nothing was changed; if you are sure no loa publish is running into this folder, remove this file, then run loa publish again"}
		case other.Host != host:
			return nil, &Error{Path: p.show(lockName), Problem: "another loa publish (" + other.describe() + ") is publishing into this folder, and loa cannot check from this computer whether it still runs",
				Fix: "nothing was changed; wait until it has finished; if you are sure it no longer runs, remove this file, then run loa publish again"}
		case alive(other.PID):
			return nil, &Error{Path: p.show(lockName), Problem: "another loa publish (" + other.describe() + ") is publishing into this folder",
				Fix: "nothing was changed; wait until it has finished, then run loa publish again"}
		}
		if err := p.takeOver(data, mine); err != nil {
			return nil, err
		}
	}
	return nil, &Error{Path: p.show(lockName), Problem: "other loa publishes keep taking this folder's lock", Fix: "nothing was changed; wait until they have finished, then run loa publish again"}
}

// takeOver removes the lock of a publish that no longer runs, whose
// content is stale. Only the holder of the takeover file removes a lock, and
// only while the lock still holds exactly what was found dead: so two
// publishes that find the same dead lock cannot remove each other's new one.
func (p *publisher) takeOver(stale, mine []byte) error {
	if err := createExcl(p.t, takeoverName, mine); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return &Error{Path: p.show(takeoverName), Problem: "another loa publish is taking over the lock of a publish that stopped",
				Fix: "nothing was changed; run loa publish again in a moment; if this message stays and no loa publish runs, remove this file"}
		}
		return ioError(p.show(takeoverName), "cannot write", err, "run loa publish again")
	}
	data, err := fs.ReadFile(p.t.FS(), lockName)
	if err == nil && bytes.Equal(data, stale) {
		err = p.t.Remove(lockName)
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		p.t.Remove(takeoverName)
		return ioError(p.show(lockName), "cannot remove the lock of a publish that stopped", err, "run loa publish again")
	}
	if err := p.t.Remove(takeoverName); err != nil {
		return ioError(p.show(takeoverName), "cannot remove", err, "remove it by hand, then run loa publish again")
	}
	return nil
}

// createExcl creates name with data, failing with fs.ErrExist if it is
// there already.
func createExcl(t target, name string, data []byte) error {
	f, err := t.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Remove(name)
	}
	return err
}
