package org.memshare.cli;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;

/**
 * {@code memshare select --plot FILE.png} (or {@code .svg}): the ranking as a person looks at it, with XChart. Left,
 * the top K features' mutual information as bars; right, the sorted curve of all features, where
 * the elbow shows how many carry information.
 */
final class Plot {
    private Plot() {}

    /**
     * {@code ranked} in rank order, {@code values} their MI in nats, same order. A negative
     * estimate (an artefact, named on stderr) is drawn as a red bar of its own series, "negative
     * estimate", so that the picture does not pass it off as information.
     */
    static void write(Path file, String title, List<String> ranked, double[] values, int top) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean svg = name.endsWith(".svg");
        if (!svg && !name.endsWith(".png"))
            throw new MemshareCli.CliException("--plot writes PNG or SVG: name the file *.png or *.svg, not '" + file + "'");
        System.setProperty("java.awt.headless", "true");  // no display needed, nor wanted on a server
        int k = Math.min(top, ranked.size());
        CategoryChart bars = new CategoryChartBuilder().width(900).height(600).title("Top " + k + ": " + title)
                .xAxisTitle("feature").yAxisTitle("mutual information (nats)").build();
        bars.getStyler().setXAxisLabelRotation(60);
        bars.getStyler().setOverlapped(true);
        bars.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        List<String> topNames = new ArrayList<>(ranked.subList(0, k));
        List<Double> topValues = new ArrayList<>(), negative = new ArrayList<>();
        for (int r = 0; r < k; r++) {
            double v = finite(values[r]);
            topValues.add(Math.max(0, v));
            negative.add(Math.min(0, v));
        }
        bars.addSeries("mutual information", topNames, topValues);
        boolean anyNegative = negative.stream().anyMatch(v -> v < 0);
        if (anyNegative) bars.addSeries("negative estimate (see stderr)", topNames, negative).setFillColor(java.awt.Color.RED);
        bars.getStyler().setLegendVisible(anyNegative);

        XYChart curve = new XYChartBuilder().width(900).height(600).title("All " + ranked.size() + " features, sorted")
                .xAxisTitle("rank").yAxisTitle("mutual information (nats)").build();
        curve.getStyler().setLegendVisible(false);
        curve.getStyler().setMarkerSize(0);
        curve.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        curve.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
        double[] x = new double[values.length], y = new double[values.length];
        for (int r = 0; r < values.length; r++) {
            x[r] = r + 1;
            y[r] = finite(values[r]);
        }
        curve.addSeries("mi", x, y);
        List<Chart<?, ?>> charts = List.of(bars, curve);
        try {
            if (svg) writeSvg(file, bars, curve);
            else BitmapEncoder.saveBitmap(charts, 1, 2, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException | RuntimeException e) {
            throw new MemshareCli.CliException("cannot write the plot " + file + ": " + MemshareCli.oneLine(String.valueOf(e.getMessage())));
        }
    }

    /**
     * Both charts side by side in one SVG. XChart's own VectorGraphicsEncoder writes one chart per
     * file; the same VectorGraphics2D it uses takes both, the second moved to the right.
     */
    private static void writeSvg(Path file, Chart<?, ?> left, Chart<?, ?> right) throws IOException {
        VectorGraphics2D g = new VectorGraphics2D();
        left.paint(g, left.getWidth(), left.getHeight());
        g.translate(left.getWidth(), 0);
        right.paint(g, right.getWidth(), right.getHeight());
        PageSize page = new PageSize(0, 0, left.getWidth() + right.getWidth(), Math.max(left.getHeight(), right.getHeight()));
        try (OutputStream out = Files.newOutputStream(file)) {
            new SVGProcessor().getDocument(g.getCommands(), page).writeTo(out);
        }
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }
}
