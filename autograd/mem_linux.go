package autograd

import (
	"bufio"
	"bytes"
	"os"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// memAvailable is the memory an allocation can still get, and what limits
// it: the least of the free memory the kernel reports (MemAvailable), the
// cgroup's limit less its usage (v2 memory.max, v1 memory.limit_in_bytes),
// and RLIMIT_AS less the address space the process uses (VmSize). 0 means
// unknown.
func memAvailable() (uint64, string) {
	best, what := uint64(0), ""
	consider := func(v uint64, w string) {
		if v > 0 && (best == 0 || v < best) {
			best, what = v, w
		}
	}
	if v := meminfoAvailable(); v > 0 {
		consider(v, "available memory of the machine, "+humanBytes(physMem())+" in all")
	}
	if lim, use := cgroupMem(); lim > 0 {
		free := uint64(1) // at or over the limit: nothing left
		if use < lim {
			free = lim - use
		}
		consider(free, "free under the cgroup memory limit of "+humanBytes(lim))
	}
	var rl syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_AS, &rl) == nil && rl.Cur != ^uint64(0) && rl.Cur < 1<<62 {
		mapped := addressSpaceInUse()
		free := uint64(1)
		if mapped < rl.Cur {
			free = rl.Cur - mapped
		}
		consider(free, "free under RLIMIT_AS of "+humanBytes(rl.Cur))
	}
	return best, what
}

var physMem = sync.OnceValue(func() uint64 {
	var si syscall.Sysinfo_t
	if syscall.Sysinfo(&si) != nil {
		return 0
	}
	return uint64(si.Totalram) * uint64(si.Unit)
})

// addressSpaceInUse is the process's virtual address space in bytes,
// what RLIMIT_AS limits: VmSize of /proc/self/status, which counts the
// runtime's reservations, the binary and thread stacks too; the Go
// runtime's own mapped memory when /proc is not readable.
func addressSpaceInUse() uint64 {
	if v := procFieldKB("/proc/self/status", "VmSize:"); v > 0 {
		return v * 1024
	}
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// procFieldKB reads a field given in kB ("VmSize:", "MemAvailable:") of a
// /proc file such as /proc/self/status or /proc/meminfo; 0 if absent.
func procFieldKB(path, field string) uint64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) >= 2 && f[0] == field {
			kb, _ := strconv.ParseUint(f[1], 10, 64)
			return kb
		}
	}
	return 0
}

// meminfoAvailable is MemAvailable from /proc/meminfo, in bytes.
func meminfoAvailable() uint64 { return procFieldKB("/proc/meminfo", "MemAvailable:") * 1024 }

// cgroupDirs are the directories holding this process's memory cgroup
// files: the cgroup's own path under the mount (when the mount shows the
// whole hierarchy) and the mount's root (when it shows only our cgroup).
var cgroupDirs = sync.OnceValue(func() (dirs []string) {
	b, _ := os.ReadFile("/proc/self/cgroup")
	for _, line := range strings.Split(string(b), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		switch {
		case parts[0] == "0" && parts[1] == "": // v2
			dirs = append(dirs, "/sys/fs/cgroup"+parts[2])
		case strings.Contains(","+parts[1]+",", ",memory,"): // v1
			dirs = append(dirs, "/sys/fs/cgroup/memory"+parts[2])
		}
	}
	return append(dirs, "/sys/fs/cgroup", "/sys/fs/cgroup/memory")
})

// cgroupMem is the memory cgroup's limit and usage (limit 0: none found).
func cgroupMem() (limit, usage uint64) {
	for _, d := range cgroupDirs() {
		for _, f := range [][2]string{{"memory.max", "memory.current"}, {"memory.limit_in_bytes", "memory.usage_in_bytes"}} {
			l, ok := readUint(d + "/" + f[0])
			if !ok || l >= 1<<62 { // "max", or v1's huge "unlimited"
				continue
			}
			u, _ := readUint(d + "/" + f[1])
			if limit == 0 || l < limit {
				limit, usage = l, u
			}
		}
	}
	return limit, usage
}

func readUint(path string) (uint64, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	v, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	return v, err == nil
}
