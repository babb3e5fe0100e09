package oagen

import (
	"crypto/md5"
	"encoding/hex"
	"math/rand/v2"
	"strconv"
)

func ap2(b []byte, v int) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }

func apInt(b []byte, v int) []byte { return strconv.AppendInt(b, int64(v), 10) }

func apIP(b []byte, ip uint32, sep byte) []byte {
	b = strconv.AppendUint(b, uint64(ip>>24), 10)
	b = append(b, sep)
	b = strconv.AppendUint(b, uint64(ip>>16&0xff), 10)
	b = append(b, sep)
	b = strconv.AppendUint(b, uint64(ip>>8&0xff), 10)
	b = append(b, sep)
	return strconv.AppendUint(b, uint64(ip&0xff), 10)
}

func ipString(ip uint32) string { return string(apIP(nil, ip, '.')) }

// apClock appends HH:MM:SS for a second of the day.
func apClock(b []byte, sec int) []byte {
	b = ap2(b, sec/3600)
	b = append(b, ':')
	b = ap2(b, sec/60%60)
	b = append(b, ':')
	return ap2(b, sec%60)
}

// apScore appends an ML score such as 1.23e-05.
func apScore(b []byte, v float64) []byte { return strconv.AppendFloat(b, v, 'e', 2, 64) }

func md5hex(parts ...string) string {
	h := md5.New()
	for _, p := range parts {
		h.Write([]byte(p))
	}
	var sum [md5.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0]))
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func (u *unit) internalIPs(n int) []uint32 {
	ips := make([]uint32, n)
	seen := map[uint32]bool{}
	for i := range ips {
		for {
			var ip uint32
			switch u.rng.IntN(3) {
			case 0:
				ip = 10<<24 | uint32(u.rng.IntN(8))<<16 | uint32(u.rng.IntN(40))<<8 | uint32(2+u.rng.IntN(250))
			case 1:
				ip = 192<<24 | 168<<16 | uint32(u.rng.IntN(12))<<8 | uint32(2+u.rng.IntN(250))
			default:
				ip = 172<<24 | uint32(16+u.rng.IntN(16))<<16 | uint32(u.rng.IntN(10))<<8 | uint32(2+u.rng.IntN(250))
			}
			if !seen[ip] {
				seen[ip] = true
				ips[i] = ip
				break
			}
		}
	}
	return ips
}

var publicFirstOctets = []uint32{23, 31, 34, 45, 52, 54, 66, 69, 72, 81, 91, 104, 151, 157, 185, 198, 199, 203, 208}

func (u *unit) externalIPs(n int) []uint32 {
	ips := make([]uint32, n)
	for i := range ips {
		ips[i] = pick(u.rng, publicFirstOctets)<<24 | uint32(u.rng.IntN(256))<<16 | uint32(u.rng.IntN(256))<<8 | uint32(1+u.rng.IntN(254))
	}
	return ips
}

func isInternal(ip uint32) bool {
	return ip>>24 == 10 || ip>>16 == 192<<8|168 || ip>>20 == 172<<4|1
}

var (
	titles = []string{"Possible data exfiltration", "Beaconing pattern", "Unusual port usage", "Scan from internal host",
		"Suspicious download", "Tunnelling suspected", "Known bad reputation", "Lateral movement"}
	summaries = []string{
		`Host talked to a peer it never used before.\nVolume well above baseline; ticket opened with the desktop team.`,
		`Regular intervals, small payloads.\nChecked with owner: no scheduled job explains it.`,
		`Analyst review: likely benign but kept for trending.`,
		`Escalated to incident response.\nHost isolated; disk image taken.`,
	}
)

func (u *unit) threatText(b []byte) []byte {
	b = append(b, pick(u.rng, titles)...)
	b = append(b, '|')
	return append(b, pick(u.rng, summaries)...)
}
