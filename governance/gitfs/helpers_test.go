package gitfs_test

import "os"

func mkdir(p string) error              { return os.MkdirAll(p, 0o755) }
func writeFile(p, content string) error { return os.WriteFile(p, []byte(content), 0o644) }
