package org.memshare;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The other JVM of {@link SelectSharedTest}: {@code SharedOwner <ns>} registers the test's matrix
 * {@code X} and target {@code y} in {@code ns}, prints {@code OWNED}, and holds them until its
 * stdin closes or says {@code EXIT}; then it releases them and prints {@code BYE}.
 */
public final class SharedOwner {
    private SharedOwner() {}

    public static void main(String[] args) throws Exception {
        try (Namespace space = Namespace.of(args[0])) {
            space.register("X", Matrix.of(SelectSharedTest.N, SelectSharedTest.P, SelectSharedTest.matrix()));
            space.register("y", SelectSharedTest.target());
            System.out.println("OWNED");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null && !line.equals("EXIT"); ) { /* hold on */ }
        }
        System.out.println("BYE");
    }
}
