package familygraph;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.SettingValueParsers;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Runs Neo4j Community as an embedded DBMS with the Bolt connector on, for development and CI.
 *
 * <p>Usage: {@code java -cp ... familygraph.Neo4jLauncher <home-dir>}. Settings come from the environment:
 * NEO4J_HOST (127.0.0.1), NEO4J_PORT (7687), NEO4J_PASSWORD (familygraph-dev), NEO4J_PAGECACHE (2g),
 * NEO4J_TX_MEMORY (half the heap) and NEO4J_TX_MAX (256m): transaction memory caps, as on Aura;
 * NEO4J_READ_ONLY (none): comma-separated databases the server opens read-only (server.databases.read_only).
 * Prints {@code NEO4J READY bolt://host:port} once Bolt accepts logins with that password; SIGTERM shuts
 * the DBMS down cleanly. Normally started by scripts/neo4j-local.
 */
public final class Neo4jLauncher {

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: Neo4jLauncher <home-dir>");
            System.exit(2);
        }
        try {
            run(Path.of(args[0]).toAbsolutePath());
        } catch (Throwable e) {
            e.printStackTrace();
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            System.out.println("NEO4J FAILED: " + root.getMessage());
            System.exit(1); // runs the shutdown hook, if the DBMS got that far
        }
    }

    private static void run(Path home) throws InterruptedException {
        String host = env("NEO4J_HOST", "127.0.0.1");
        int port = Integer.parseInt(env("NEO4J_PORT", "7687"));
        String password = env("NEO4J_PASSWORD", "familygraph-dev");
        long pageCache = SettingValueParsers.BYTES.parse(env("NEO4J_PAGECACHE", "2g"));
        long heap = Runtime.getRuntime().maxMemory();
        // db.memory.transaction.total.max: all transactions of the database together (default half the heap);
        // db.memory.transaction.max: one transaction (default 256m, about a small Aura instance's cap).
        long txTotal = SettingValueParsers.BYTES.parse(env("NEO4J_TX_MEMORY", Long.toString(heap / 2)));
        long txMax = Math.min(txTotal, SettingValueParsers.BYTES.parse(env("NEO4J_TX_MAX", "256m")));
        System.out.printf("Transaction memory: %d MiB per transaction, %d MiB in total (heap %d MiB)%n",
                txMax >> 20, txTotal >> 20, heap >> 20);
        // server.databases.read_only: these databases refuse every write, schema changes included, from
        // any user (Community has no read-only roles; this is how it makes a database read-only).
        Set<String> readOnly = Arrays.stream(env("NEO4J_READ_ONLY", "").split(","))
                .map(String::trim).filter(name -> !name.isEmpty()).collect(Collectors.toSet());
        if (!readOnly.isEmpty()) {
            System.out.println("Read-only databases: " + String.join(", ", readOnly));
        }

        long t0 = System.nanoTime();
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.udc_enabled, false) // no usage reports to neo4j.com
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                // Transaction memory capped like Aura's (which cannot be turned off): a transaction that
                // would pass the cap fails with a memory error instead of taking the server down.
                .setConfig(GraphDatabaseSettings.memory_transaction_database_max_size, txTotal)
                .setConfig(GraphDatabaseSettings.memory_transaction_max_size, txMax)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "1G size") // bound tx logs of bulk loads
                .setConfig(GraphDatabaseSettings.read_only_databases, readOnly)
                // Internal setting: don't idle 2 x 5 s in Netty's graceful shutdown on stop.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .build();

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {  // SIGTERM, SIGINT, System.exit
            System.out.println("NEO4J STOPPING");
            dbms.shutdown();
            System.out.println("NEO4J STOPPED");
        }, "neo4j-shutdown"));
        System.out.printf("DBMS started in %.1f s%n", (System.nanoTime() - t0) / 1e9);

        setPassword(dbms, password);
        System.out.printf("NEO4J READY bolt://%s:%d (%.1f s)%n", host, port, (System.nanoTime() - t0) / 1e9);
        new CountDownLatch(1).await(); // serve until the JVM is told to stop
    }

    /** Makes {@code password} the password of user neo4j (the initial one is "neo4j", change required). */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        try {
            dbms.database("system").executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
            System.out.println("Password of user neo4j set.");
        } catch (RuntimeException e) {
            // Neo4j refuses to "change" a password to the one already set: that's fine on a restart.
            if (String.valueOf(e.getMessage()).contains("cannot be the same")) {
                System.out.println("Password of user neo4j unchanged.");
            } else {
                throw e;
            }
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
