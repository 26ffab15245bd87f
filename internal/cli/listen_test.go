package cli

import (
	"net"
	"strings"
	"testing"

	"hrx/internal/db/dbtest"
)

// TestServeSaysWhichSettingWhenTheAddressIsTaken: a port in use is named,
// with the setting that chooses another.
func TestServeSaysWhichSettingWhenTheAddressIsTaken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	code, _, errOut := run(t, dbtest.DSN(t), "", false, "serve", "--addr", ln.Addr().String())
	if code == 0 || !strings.Contains(errOut, "already in use") || !strings.Contains(errOut, "HRX_ADDR") || !strings.Contains(errOut, "--addr") {
		t.Errorf("exit %d, %q; want the address named as in use, with HRX_ADDR and --addr", code, errOut)
	}
}
