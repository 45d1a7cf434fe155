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
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unicode/utf16"

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
		seq := clusterSeqBase + clusterSeq.Add(1)
		msg, _ := json.Marshal(map[string]any{"cmd": "NODE_CLUSTER", "act": "close", "key": l.key, "seq": seq})
		if data, err := l.ch.encodeEnvelope(msg); err == nil {
			l.ch.send(ipcWrite{data: data, fd: -1})
		}
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

// ---- cluster envelopes in the 'advanced' serialization ----------------------
//
// A worker's synchronous listen runs while JavaScript cannot, so under a
// primary that chose serialization 'advanced' the Go side reads and
// writes the V8 serializer's form of the few plain objects cluster sends
// itself ({cmd, act, seq, ack, errno, key, address, port, ...}): objects,
// arrays, strings, numbers, booleans, null and undefined. The envelopes
// are converted to and from JSON text so the json path serves both.

// v8FrameFromJSON encodes a JSON text as an 'advanced' frame: the length
// prefix, the serializer header (version 15) and the value.
func v8FrameFromJSON(text []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	out := []byte{0, 0, 0, 0, 0xff, 0x0f}
	out, err := v8WriteJSON(dec, out)
	if err != nil {
		return nil, err
	}
	binary.BigEndian.PutUint32(out, uint32(len(out)-4))
	return out, nil
}

func v8WriteJSON(dec *json.Decoder, out []byte) ([]byte, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			var n uint64
			out = append(out, 'A')
			at := len(out)
			out = binary.AppendUvarint(out, 0) // rewritten below
			for dec.More() {
				if out, err = v8WriteJSON(dec, out); err != nil {
					return nil, err
				}
				n++
			}
			dec.Token()
			out = append(out[:at], append(binary.AppendUvarint(nil, n), out[at+1:]...)...)
			out = append(out, '$', 0)
			return binary.AppendUvarint(out, n), nil
		}
		var n uint64
		out = append(out, 'o')
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			out = v8WriteString(out, k.(string))
			if out, err = v8WriteJSON(dec, out); err != nil {
				return nil, err
			}
			n++
		}
		dec.Token()
		out = append(out, '{')
		return binary.AppendUvarint(out, n), nil
	case string:
		return v8WriteString(out, t), nil
	case json.Number:
		if i, err := t.Int64(); err == nil && i >= -(1<<30) && i < 1<<30 {
			return binary.AppendUvarint(append(out, 'I'), uint64(uint32((i<<1)^(i>>63)))), nil
		}
		f, err := t.Float64()
		if err != nil {
			return nil, err
		}
		return binary.LittleEndian.AppendUint64(append(out, 'N'), math.Float64bits(f)), nil
	case bool:
		if t {
			return append(out, 'T'), nil
		}
		return append(out, 'F'), nil
	case nil:
		return append(out, '0'), nil
	}
	return nil, fmt.Errorf("cluster: cannot encode %v", tok)
}

// v8WriteString writes a one-byte string when every rune fits in Latin-1,
// else a two-byte one (padded so its UTF-16 data starts at an even
// offset of the payload, as V8 aligns it).
func v8WriteString(out []byte, s string) []byte {
	units := utf16.Encode([]rune(s))
	latin1 := true
	for _, u := range units {
		if u > 0xff {
			latin1 = false
			break
		}
	}
	if latin1 {
		out = binary.AppendUvarint(append(out, '"'), uint64(len(units)))
		for _, u := range units {
			out = append(out, byte(u))
		}
		return out
	}
	n := binary.AppendUvarint(nil, uint64(2*len(units)))
	if (len(out)-4+1+len(n))%2 != 0 {
		out = append(out, 0)
	}
	out = append(append(out, 'c'), n...)
	for _, u := range units {
		out = binary.LittleEndian.AppendUint16(out, u)
	}
	return out
}

// v8FrameToJSON decodes an 'advanced' payload holding a plain value into
// JSON text; ok is false for anything else.
func v8FrameToJSON(payload []byte) (string, bool) {
	if len(payload) < 2 || payload[0] != 0xff {
		return "", false
	}
	d := &v8Reader{b: payload, pos: 2}
	v, ok := d.value()
	if !ok {
		return "", false
	}
	text, err := json.Marshal(v)
	return string(text), err == nil
}

type v8Reader struct {
	b   []byte
	pos int
}

func (d *v8Reader) varint() (uint64, bool) {
	v, n := binary.Uvarint(d.b[d.pos:])
	if n <= 0 {
		return 0, false
	}
	d.pos += n
	return v, true
}

func (d *v8Reader) raw(n uint64) ([]byte, bool) {
	if n > uint64(len(d.b)-d.pos) {
		return nil, false
	}
	b := d.b[d.pos : d.pos+int(n)]
	d.pos += int(n)
	return b, true
}

// undefined marks a V8 undefined; objects drop such properties, as JSON does.
type v8Undefined struct{}

func (d *v8Reader) value() (any, bool) {
	for d.pos < len(d.b) && d.b[d.pos] == 0 {
		d.pos++ // padding
	}
	if d.pos >= len(d.b) {
		return nil, false
	}
	tag := d.b[d.pos]
	d.pos++
	switch tag {
	case '0':
		return nil, true
	case '_':
		return v8Undefined{}, true
	case 'T':
		return true, true
	case 'F':
		return false, true
	case 'I':
		v, ok := d.varint()
		return float64(int32(uint32(v>>1) ^ -uint32(v&1))), ok
	case 'U':
		v, ok := d.varint()
		return float64(uint32(v)), ok
	case 'N':
		b, ok := d.raw(8)
		if !ok {
			return nil, false
		}
		return math.Float64frombits(binary.LittleEndian.Uint64(b)), true
	case '"', 'c', 'S':
		return d.stringBody(tag)
	case 'o':
		obj := map[string]any{}
		for {
			if d.pos < len(d.b) && d.b[d.pos] == '{' {
				d.pos++
				_, ok := d.varint()
				return obj, ok
			}
			k, ok := d.value()
			if !ok {
				return nil, false
			}
			v, ok := d.value()
			if !ok {
				return nil, false
			}
			var key string
			switch k := k.(type) {
			case string:
				key = k
			case float64:
				key = strconv.FormatFloat(k, 'f', -1, 64)
			default:
				return nil, false
			}
			if _, undef := v.(v8Undefined); !undef {
				obj[key] = v
			}
		}
	case 'a':
		// A sparse array: its length, then index/value pairs up to '@'.
		n, ok := d.varint()
		if !ok || n > uint64(len(d.b)) {
			return nil, false
		}
		arr := make([]any, n)
		for {
			if d.pos < len(d.b) && d.b[d.pos] == '@' {
				d.pos++
				if _, ok := d.varint(); !ok {
					return nil, false
				}
				_, ok = d.varint()
				return arr, ok
			}
			k, ok := d.value()
			if !ok {
				return nil, false
			}
			v, ok := d.value()
			if !ok {
				return nil, false
			}
			i, isNum := k.(float64)
			if !isNum || i < 0 || i >= float64(n) || i != float64(int(i)) {
				return nil, false
			}
			if _, undef := v.(v8Undefined); !undef {
				arr[int(i)] = v
			}
		}
	case 'A':
		n, ok := d.varint()
		if !ok || n > uint64(len(d.b)) {
			return nil, false
		}
		arr := make([]any, 0, n)
		for range n {
			v, ok := d.value()
			if !ok {
				return nil, false
			}
			if _, undef := v.(v8Undefined); undef {
				v = nil
			}
			arr = append(arr, v)
		}
		if d.pos >= len(d.b) || d.b[d.pos] != '$' {
			return nil, false // extra properties on an array: not an envelope
		}
		d.pos++
		if _, ok := d.varint(); !ok {
			return nil, false
		}
		_, ok = d.varint()
		return arr, ok
	}
	return nil, false
}

func (d *v8Reader) stringBody(tag byte) (any, bool) {
	n, ok := d.varint()
	if !ok {
		return nil, false
	}
	b, ok := d.raw(n)
	if !ok {
		return nil, false
	}
	switch tag {
	case '"':
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = rune(c)
		}
		return string(r), true
	case 'c':
		if len(b)%2 != 0 {
			return nil, false
		}
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = binary.LittleEndian.Uint16(b[2*i:])
		}
		return string(utf16.Decode(u)), true
	}
	return string(b), true
}
