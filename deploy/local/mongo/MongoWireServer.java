// Runs mongo-java-server on a port with the H2 file backend, so data outlives a restart of the local stack.
// Compiled once by deploy/local/stack.sh; arguments: <host> <port> <data-file>.
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

public final class MongoWireServer {
    public static void main(String[] args) throws Exception {
        String host = args.length > 0 ? args[0] : "127.0.0.1";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 27017;
        String file = args.length > 2 ? args[2] : "mongo.mv";
        H2Backend backend = new H2Backend(file);
        MongoServer server = new MongoServer(backend);
        server.bind(host, port);
        System.out.println("mongo-wire-server listening on " + host + ":" + port + " with data in " + file);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Closing the backend commits the MVStore, so a clean stop loses nothing.
            server.shutdown();
            System.out.println("mongo-wire-server stopped");
        }));
        Thread.currentThread().join();
    }
}
