import java.nio.DoubleBuffer;
import java.util.Map;
import org.memshare.*;
import org.memshare.facade.Memshare;

public class QuickStart {
    public static void main(String[] args) {
        // The R-named facade: register, view, list, release.
        Memshare.registerVariables("rns", Map.of(
                "X", Matrix.of(2, 3, new double[] {1, 2, 3, 4, 5, 6}),   // column-major, as R
                "y", new double[] {1.5, 2.5}));
        Map<String, View> v = Memshare.retrieveViews("rns", "X", "y");
        double x = ((MatrixView) v.get("X")).get(1, 2);   // 6.0 (0-based indexes)
        System.out.println("X[2,3] = " + x);
        System.out.println("pages " + Memshare.pageList() + ", views " + Memshare.viewList());
        Memshare.releaseViews("rns", "X", "y");
        Memshare.releaseVariables("rns", "X", "y");

        // The idiomatic object API: handles you close.
        int nrow = 10_000, ncol = 1_000;
        try (Namespace ns = Namespace.of("rns")) {
            // Allocate, fill in place (no copy through the Java heap), then publish.
            ArrayPage big = ns.allocateMatrix("X", ElementType.FLOAT64, nrow, ncol);
            for (long j = 0; j < ncol; j++) big.column(j).put(someColumn(j, nrow));   // writable DoubleBuffer
            big.publish();                                   // from now on other processes can view it

            try (MatrixView m = ns.matrix("X")) {            // in this or any other process
                DoubleBuffer col = m.column(7);              // read-only, zero-copy
                System.out.println("X[4,8] = " + m.get(3, 7) + " = " + col.get(3));
            }
        }   // closing the namespace releases the pages and views obtained through it
        System.out.println("left: " + Memshare.pageList());
    }

    static double[] someColumn(long j, int nrow) {
        double[] c = new double[nrow];
        for (int i = 0; i < nrow; i++) c[i] = j * 1000 + i;
        return c;
    }
}
