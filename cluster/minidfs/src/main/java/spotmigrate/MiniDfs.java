package spotmigrate;

import java.io.File;
import java.util.concurrent.CountDownLatch;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * Test-only single-process HDFS for spotmigrate's integration tests.
 *
 * Starts a MiniDFSCluster (one NameNode, one DataNode) bound to 127.0.0.1 with
 * a fixed NameNode RPC port and HTTP port and permissions off, prints
 * "MINIDFS READY hdfs://127.0.0.1:PORT" once it is active, and shuts down
 * cleanly on SIGTERM / SIGINT.
 *
 * Usage: MiniDfs [--nn-port 9000] [--http-port 9870] [--dir BASEDIR]
 */
public final class MiniDfs {
  private MiniDfs() {}

  public static void main(String[] args) throws Exception {
    int nnPort = 9000;
    int httpPort = 9870;
    String dir = "/tmp/spotmigrate-minidfs";
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (i + 1 >= args.length) {
        usage("missing value for " + a);
      }
      switch (a) {
        case "--nn-port": nnPort = Integer.parseInt(args[++i]); break;
        case "--http-port": httpPort = Integer.parseInt(args[++i]); break;
        case "--dir": dir = args[++i]; break;
        default: usage("unknown argument " + a);
      }
    }

    File base = new File(dir).getAbsoluteFile();
    if (!base.isDirectory() && !base.mkdirs()) {
      throw new IllegalStateException("cannot create " + base);
    }

    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getPath());
    conf.set("hadoop.tmp.dir", new File(base, "tmp").getPath());
    conf.setBoolean("dfs.permissions.enabled", false);
    conf.setInt("dfs.replication", 1);
    // Everything on loopback: NameNode RPC/HTTP and the DataNode's ports.
    conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
    conf.set("dfs.namenode.http-address", "127.0.0.1:" + httpPort);
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    conf.set("dfs.datanode.hostname", "127.0.0.1");
    // Clients (Go hdfs lib, Spark) reach the DataNode by IP, never a hostname.
    conf.setBoolean("dfs.client.use.datanode.hostname", false);
    conf.setBoolean("dfs.datanode.use.datanode.hostname", false);
    // Small test cluster: no waiting in safe mode, no replication chatter.
    conf.setInt("dfs.namenode.safemode.extension", 0);
    conf.setLong("dfs.namenode.fs-limits.min-block-size", 0);

    final MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf, base)
        .nameNodePort(nnPort)
        .nameNodeHttpPort(httpPort)
        .numDataNodes(1)
        .format(true)
        .checkDataNodeAddrConfig(true)
        .build();
    cluster.waitActive();

    // SIGTERM/SIGINT: shut the cluster down on the main thread *before* the JVM
    // starts its shutdown sequence (Hadoop removes its own shutdown hooks while
    // stopping, which throws once the JVM is already shutting down).
    final CountDownLatch stop = new CountDownLatch(1);
    sun.misc.SignalHandler onSignal = sig -> stop.countDown();
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), onSignal);
    sun.misc.Signal.handle(new sun.misc.Signal("INT"), onSignal);

    System.out.println("MINIDFS READY hdfs://127.0.0.1:" + cluster.getNameNodePort()
        + " http=127.0.0.1:" + httpPort);
    System.out.flush();

    stop.await();
    System.out.println("MINIDFS STOPPING");
    System.out.flush();
    int rc = 0;
    try {
      cluster.shutdown();
    } catch (Throwable t) {
      t.printStackTrace();
      rc = 1;
    }
    System.out.println("MINIDFS STOPPED");
    System.out.flush();
    System.exit(rc);
  }

  private static void usage(String msg) {
    System.err.println("MiniDfs: " + msg);
    System.err.println("usage: MiniDfs [--nn-port 9000] [--http-port 9870] [--dir BASEDIR]");
    System.exit(2);
  }
}
