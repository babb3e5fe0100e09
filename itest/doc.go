// Package itest holds the integration tests of the distributed path: the
// spotmigrate binary against a real HDFS (a Hadoop MiniDFSCluster) and a
// real HiveServer2 engine (Spark's Thrift server), both started on
// 127.0.0.1 by cluster/up.sh. They need the build tag itest:
//
//	make itest    # or: go test -tags itest -count=1 ./itest
//
// Without SPOTMIGRATE_CLUSTER (the state folder of a cluster started by
// hand with make cluster-up), the tests start their own cluster and stop it
// at the end. If the cluster cannot start, they fail; they never skip.
package itest
