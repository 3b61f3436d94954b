import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.memshare.Matrix;
import org.memshare.apply.Margin;
import org.memshare.spark.HostMatrix;
import org.memshare.spark.SparkApply;
import org.memshare.spark.SparkApplyOptions;

/**
 * The app scripts/lib/spark-submit-check.sh runs through spark-submit on a standalone cluster,
 * as a user would: HostMatrix.fromFile, HostMatrix.broadcast, memApply with withProgress, view()
 * inside a plain Spark job; the plugin (spark.plugins) releases at the end. Every result is
 * checked against a formula, not against memshare. Prints "SPARK-SUBMIT OK ..." or exits 1.
 *
 *   SparkSubmitApp DIR    (DIR: where the raw float64 file is written, the same path on the one host)
 */
public class SparkSubmitApp {
    static final int NROW = 37, NCOL = 53;

    static double value(int i, int j) {
        return i + 1000.0 * j;
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0], "X.f64");
        ByteBuffer b = ByteBuffer.allocate(8 * NROW * NCOL).order(ByteOrder.LITTLE_ENDIAN);
        for (int j = 0; j < NCOL; j++) for (int i = 0; i < NROW; i++) b.putDouble(value(i, j));
        Files.write(file, b.array());
        double[] weights = new double[NROW];
        for (int i = 0; i < NROW; i++) weights[i] = i % 2 == 0 ? 1 : -1;

        JavaSparkContext sc = new JavaSparkContext(new SparkConf().setAppName("memshare spark-submit check"));
        List<String> bad = new ArrayList<>();
        try {
            HostMatrix x = HostMatrix.fromFile(sc, "X", file, NROW, NCOL);
            HostMatrix w = HostMatrix.broadcast(sc, "w", Matrix.of(NROW, 1, weights));
            List<long[]> progress = new ArrayList<>();
            List<Double> dots = SparkApply.memApply(sc, x, Margin.COLUMNS, (col, vars) -> {
                var wc = vars.array("w").column(0);
                double s = 0;
                for (int i = 0; i < col.limit(); i++) s += col.get(i) * wc.get(i);
                return s;
            }, Map.of("w", w), SparkApplyOptions.defaults().withPartitions(7).withProgress((done, total) -> {
                synchronized (progress) {
                    progress.add(new long[] {done, total});
                }
            }));
            for (int j = 0; j < NCOL; j++) {
                double want = 0;
                for (int i = 0; i < NROW; i++) want += value(i, j) * weights[i];
                if (dots.get(j) != want) bad.add("memApply column " + j + ": " + dots.get(j) + " != " + want);
            }
            long[] last = progress.isEmpty() ? null : progress.get(progress.size() - 1);
            if (last == null || last[0] != NCOL || last[1] != NCOL) bad.add("withProgress: the last call is not (" + NCOL + ", " + NCOL + ")");
            List<Integer> cols = new ArrayList<>();
            for (int j = 0; j < NCOL; j++) cols.add(j);
            double viewed = sc.parallelize(cols, 4).map(j -> x.view().get(NROW - 1, j)).reduce(Double::sum);
            double want = 0;
            for (int j = 0; j < NCOL; j++) want += value(NROW - 1, j);
            if (viewed != want) bad.add("view() in a job: " + viewed + " != " + want);
            String version = sc.version();
            sc.stop();
            if (!bad.isEmpty()) {
                bad.forEach(s -> System.out.println("SPARK-SUBMIT FAIL " + s));
                System.exit(1);
            }
            System.out.println("SPARK-SUBMIT OK Spark " + version + ": fromFile " + NROW + "x" + NCOL + ", broadcast, memApply ("
                    + progress.size() + " progress calls), view() in a job");
        } finally {
            sc.stop();
        }
    }
}
