package main

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestReadSpotConf reads a spot.conf the way bash would source it.
func TestReadSpotConf(t *testing.T) {
	path := filepath.Join(t.TempDir(), "spot.conf")
	os.WriteFile(path, []byte(`#node configuration
UINODE='node03'
DBNAME='spot_prod'
HUSER="/user/spot"
IMPALA_DEM=node04
IMPALA_PORT=21050
# paths
DNS_PATH=${HUSER}/${DSOURCE}/hive/y=${YR}
export LUSER='/home/spot'
`), 0o644)
	os.Setenv("DSOURCE", "dns")
	got, err := readSpotConf(path)
	if err != nil {
		t.Fatal(err)
	}
	want := spotConf{"UINODE": "node03", "DBNAME": "spot_prod", "HUSER": "/user/spot", "IMPALA_DEM": "node04",
		"IMPALA_PORT": "21050", "DNS_PATH": "/user/spot/dns/hive/y=", "LUSER": "/home/spot"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}
