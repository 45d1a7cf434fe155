package runtime

// cluster's native half (lib/cluster.js). gnode's cluster shares a
// listening socket the way Node does with NODE_CLUSTER_SCHED_POLICY=none:
// a worker asks the primary for the socket ('queryServer' over the IPC
// channel), the primary listens once per address and sends the socket's
// descriptor to each worker that asks, and every worker accepts on it (the
// kernel spreads connections). Port 0 gives all workers the same port, as
// in Node. The messages are Node's own, so a gnode primary also serves
// node workers.
//
// In a gnode worker, net.Server.listen is synchronous, so the query is
// made from the listen path (r.listen → clusterWorkerListen) and waits for
// the answer on the channel's reader goroutine.

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"gnode/internal/js/qjs"
)

// clusterHandle is a primary's listening socket shared with workers; the
// primary itself never accepts on it.
type clusterHandle struct {
	ln   net.Listener
	once sync.Once
}

func (h *clusterHandle) close() { h.once.Do(func() { h.ln.Close() }) }

// clusterWorker is the state of a run that is a cluster worker.
type clusterWorker struct {
	ch      *ipcChan
	indexes map[string]int
	last    string // the last query, for lib/cluster.js's 'listening' message
}

var (
	clusterWorkers sync.Map // *rt → *clusterWorker
	clusterSeq     atomic.Int64
)

// clusterSeqBase keeps the sequence numbers of the Go side's requests
// apart from those lib/cluster.js counts from 0 on the same channel.
const clusterSeqBase = 1 << 40

// clusterWorkerListen answers r.listen in a cluster worker: ok is false
// when the run is not one (or for a Unix path relative to nothing), and
// the caller listens itself.
func (r *rt) clusterWorkerListen(network, addr string) (net.Listener, bool, error) {
	v, found := clusterWorkers.Load(r)
	if !found {
		return nil, false, nil
	}
	w := v.(*clusterWorker)
	var address any
	port, addressType := -1, -1
	if network == "unix" {
		address = addr
	} else {
		host, p, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, false, nil
		}
		port, _ = strconv.Atoi(p)
		addressType = 4
		if ip := net.ParseIP(host); ip != nil && ip.To4() == nil {
			addressType = 6
		}
		if host != "" {
			address = host
		}
		if network == "tcp6" {
			addressType = 6
		}
	}
	ikey := fmt.Sprintf("%v:%d:%d:undefined", address, port, addressType)
	index := w.indexes[ikey]
	w.indexes[ikey] = index + 1
	if w.ch.advanced {
		// The synchronous listen speaks JSON envelopes only.
		return nil, true, errors.New("cluster: gnode workers cannot listen through a primary that chose the 'advanced' IPC serialization (use serialization 'json' in cluster.setupPrimary)")
	}
	seq := clusterSeqBase + clusterSeq.Add(1)
	q := map[string]any{"cmd": "NODE_CLUSTER", "act": "queryServer", "index": index, "data": nil,
		"address": address, "port": port, "addressType": addressType, "seq": seq}
	msg, _ := json.Marshal(q)
	delete(q, "cmd")
	delete(q, "seq")
	last, _ := json.Marshal(q)
	rep := w.ch.request(seq, msg, 30*time.Second)
	if !rep.ok {
		return nil, true, fmt.Errorf("cluster: the primary did not answer the listen request for %s: %w", addr, syscall.ECONNRESET)
	}
	var ans struct {
		Errno *int   `json:"errno"`
		Key   string `json:"key"`
	}
	json.Unmarshal(rep.msg, &ans)
	if ans.Errno != nil && *ans.Errno != 0 {
		if rep.fd >= 0 {
			syscall.Close(rep.fd)
		}
		return nil, true, syscall.Errno(-*ans.Errno)
	}
	if rep.fd < 0 {
		// A node primary in its default round-robin mode accepts itself and
		// passes each connection; gnode workers do not take those.
		return nil, true, errors.New("cluster: the primary uses round-robin scheduling, which gnode workers do not support (set NODE_CLUSTER_SCHED_POLICY=none in the primary)")
	}
	f := os.NewFile(uintptr(rep.fd), "cluster-listener")
	ln, err := net.FileListener(f)
	f.Close()
	if err != nil {
		return nil, true, err
	}
	w.last = string(last)
	return &clusterWorkerListener{Listener: ln, ch: w.ch, key: ans.Key}, true, nil
}

// clusterWorkerListener tells the primary when the worker stops listening
// so the primary can close the socket once no worker uses it.
type clusterWorkerListener struct {
	net.Listener
	ch   *ipcChan
	key  string
	once sync.Once
}

func (l *clusterWorkerListener) Close() error {
	l.once.Do(func() {
		if l.ch.advanced {
			return
		}
		seq := clusterSeqBase + clusterSeq.Add(1)
		msg, _ := json.Marshal(map[string]any{"cmd": "NODE_CLUSTER", "act": "close", "key": l.key, "seq": seq})
		l.ch.send(ipcWrite{data: append(msg, '\n'), fd: -1})
	})
	return l.Listener.Close()
}

func bindCluster(r *rt, obj qjs.Value) {
	// clusterListen(network, address) → [handleId] or [0, errno, code]:
	// the primary's shared socket for a worker's query.
	r.fn(obj, "clusterListen", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		network, addr := vm.Str(qjs.Arg(a, 0)), vm.Str(qjs.Arg(a, 1))
		if network == "unix" {
			addr = r.abs(addr)
		}
		ln, err := net.Listen(network, addr)
		if err != nil {
			n, code := netErr(err)
			return vm.ArrayOf(qjs.Int(0), qjs.Int(n), vm.String(code)), nil
		}
		if ul, ok := ln.(*net.UnixListener); ok {
			// The path stays while workers use it; Node leaves it too.
			ul.SetUnlinkOnClose(false)
		}
		ns := r.netState()
		ns.next++
		ns.handles[ns.next] = &clusterHandle{ln: ln}
		return vm.ArrayOf(qjs.Int(ns.next)), nil
	})
	// setClusterWorker(channelId): this run is a cluster worker whose
	// listens go through the primary on that channel.
	r.fn(obj, "setClusterWorker", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		if c, ok := r.netState().handles[int32(vm.Int(qjs.Arg(a, 0)))].(*ipcChan); ok {
			// A worker is a process of its own, so the entry lives as long
			// as the run.
			clusterWorkers.Store(r, &clusterWorker{ch: c, indexes: map[string]int{}})
		}
		return qjs.Undefined, nil
	})
	// takeClusterQuery() → the JSON of the last successful listen query
	// (address, port, addressType, index) or undefined; cleared by reading.
	r.fn(obj, "takeClusterQuery", func(vm *qjs.VM, _ qjs.Value, a []qjs.Value) (qjs.Value, error) {
		v, ok := clusterWorkers.Load(r)
		if !ok {
			return qjs.Undefined, nil
		}
		w := v.(*clusterWorker)
		if w.last == "" {
			return qjs.Undefined, nil
		}
		s := w.last
		w.last = ""
		return vm.String(s), nil
	})
}
