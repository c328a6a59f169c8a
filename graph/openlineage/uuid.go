package openlineage

import (
	"crypto/rand"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"strconv"
	"time"
)

// namespaceUUID is the namespace of DataSurface's name-based run IDs (a
// random UUID fixed once; changing it would change every batch's run ID).
var namespaceUUID = [16]byte{0x4e, 0x0b, 0x6f, 0x2a, 0x93, 0x51, 0x4c, 0x7d, 0x8a, 0x1e, 0x52, 0xc4, 0x0f, 0x9d, 0x37, 0x66}

// NameUUID returns the name-based UUID (RFC 9562 version 5, SHA-1) of name
// in DataSurface's namespace: the same name always gives the same UUID.
func NameUUID(name string) string {
	h := sha1.New()
	h.Write(namespaceUUID[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	return formatUUID(u)
}

// BatchRunID returns the run ID of batch number batch of a stream (or of a
// transformer run) on a platform: a name-based UUID of the four, so that a
// batch an interrupted process left open and a later process finishes keeps
// one run ID, and its START and COMPLETE pair up. Batch numbers restart
// when a merge store is replaced, and then so do the IDs: a lineage server
// sees the new batch 1 as a new event of the old run.
func BatchRunID(ecosystem, platform, job string, batch int64) string {
	return NameUUID(ecosystem + "\x00" + platform + "\x00" + job + "\x00" + strconv.FormatInt(batch, 10))
}

// NewRunID returns a new time-ordered random UUID (RFC 9562 version 7), the
// kind OpenLineage recommends for run IDs.
func NewRunID() string {
	var u [16]byte
	_, _ = rand.Read(u[:]) // crypto/rand.Read never fails (Go 1.24+)
	var ms [8]byte
	binary.BigEndian.PutUint64(ms[:], uint64(time.Now().UnixMilli()))
	copy(u[:6], ms[2:])
	u[6] = u[6]&0x0f | 0x70 // version 7
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	return formatUUID(u)
}

func formatUUID(u [16]byte) string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}
