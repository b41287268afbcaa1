package dev.flowledger.neo4j;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Runs Neo4j Community embedded with its Bolt connector and authentication on, for the dev stack.
 *
 * <p>Usage: {@code Neo4jLauncher [dataDir]} (default {@code var/neo4j/data}). Environment:
 * FLOWLEDGER_NEO4J_BOLT_PORT (7687), FLOWLEDGER_NEO4J_BIND_ADDRESS (127.0.0.1),
 * FLOWLEDGER_NEO4J_USER (neo4j), FLOWLEDGER_NEO4J_PASSWORD (flowledger-dev).
 */
public final class Neo4jLauncher {
  private static final String SYSTEM_DATABASE = "system";
  private static final String DEFAULT_ADMIN = "neo4j";

  private Neo4jLauncher() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    Path dataDir = Path.of(args.length > 0 ? args[0] : "var/neo4j/data").toAbsolutePath();
    // Neo4j's home holds its own logs beside the data, e.g. var/neo4j/{data,logs}.
    Path home = dataDir.getParent();
    String bindAddress = env.getOrDefault("FLOWLEDGER_NEO4J_BIND_ADDRESS", "127.0.0.1");
    int boltPort = Integer.parseInt(env.getOrDefault("FLOWLEDGER_NEO4J_BOLT_PORT", "7687"));
    String username = env.getOrDefault("FLOWLEDGER_NEO4J_USER", DEFAULT_ADMIN);
    String password = env.getOrDefault("FLOWLEDGER_NEO4J_PASSWORD", "flowledger-dev");

    long started = System.nanoTime();
    DatabaseManagementService dbms =
        new DatabaseManagementServiceBuilder(home)
            .setConfig(GraphDatabaseSettings.data_directory, dataDir)
            .setConfig(GraphDatabaseSettings.logs_directory, home.resolve("logs"))
            .setConfig(GraphDatabaseSettings.auth_enabled, true)
            .setConfig(BoltConnector.enabled, true)
            .setConfig(BoltConnector.listen_address, new SocketAddress(bindAddress, boltPort))
            .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
            // Sized for a laptop running the whole stack, not for large graphs.
            .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(64))
            .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, ByteUnit.mebiBytes(256))
            .setConfig(GraphDatabaseSettings.memory_transaction_max_size, ByteUnit.mebiBytes(128))
            // Netty's default 5 s quiet period, paid twice, would make every `stack down` wait ~10 s.
            .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
            .build();

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("flowledger-neo4j: stopping");
                  dbms.shutdown();
                  stopped.countDown();
                },
                "flowledger-neo4j-shutdown"));

    ensureDevUser(dbms.database(SYSTEM_DATABASE), username, password);
    awaitListening(bindAddress, boltPort);
    long millis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf(
        "flowledger-neo4j: ready bolt://%s:%d user=%s data=%s (%d ms)%n",
        bindAddress, boltPort, username, dataDir, millis);
    stopped.await();
  }

  /**
   * Gives the dev user the configured password, so Bolt clients log in without the first-login
   * password change. Embedded system-database transactions run with full privileges, so this
   * needs no prior login; it runs on every start, so a changed password in the env takes effect.
   */
  private static void ensureDevUser(GraphDatabaseService system, String username, String password) {
    Map<String, Object> params = Map.of("user", username, "password", password);
    if (!DEFAULT_ADMIN.equals(username)) {
      system.executeTransactionally(
          "CREATE USER $user IF NOT EXISTS SET PASSWORD $password CHANGE NOT REQUIRED", params);
    }
    try {
      system.executeTransactionally(
          "ALTER USER $user SET PASSWORD $password CHANGE NOT REQUIRED", params);
    } catch (RuntimeException e) {
      // Neo4j refuses to "change" a password to the one already set: that is the steady state.
      if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
        throw e;
      }
    }
  }

  /** The DBMS starts its connectors during build(); this only confirms the port accepts. */
  private static void awaitListening(String host, int port) throws InterruptedException {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, port), 500);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("Bolt is not listening on " + host + ":" + port);
  }
}
