package org.memshare.spark;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;
import org.memshare.Segments;
import org.memshare.SweepReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle of host copies on a cluster ({@code spark.plugins=org.memshare.spark.MemsharePlugin}).
 * Executor side: on start, sweeps the crash orphans of this user's dead processes on the host (an
 * executor killed while it owned a copy, a task killed mid-fill); on stop, closes this executor's
 * views, releases the copies it owns and sweeps again, so that the application's end leaves
 * nothing in the host's shared memory. Views other executors hold of a released copy keep reading
 * (the memory lives while mapped); their next {@link HostMatrix#view()} registers a new copy.
 * Driver side (in local mode the driver runs the tasks): releases the same way at the end.
 *
 * <p>One entry point throws, on purpose: the driver's init, when the executors' class path lacks
 * memshare's JARs ({@link ExecutorClassPath}), which fails the application at its start with the
 * reason instead of executors relaunched without end. No other entry point ever throws: an
 * executor plugin that throws kills its executor, and Spark relaunches it without end. Failures
 * are logged as warnings.
 */
public final class MemsharePlugin implements SparkPlugin {
    private static final Logger LOG = LoggerFactory.getLogger(MemsharePlugin.class);

    @Override
    public DriverPlugin driverPlugin() {
        return new DriverPlugin() {
            @Override
            public Map<String, String> init(SparkContext sc, PluginContext ctx) {
                Map<String, String> conf = new HashMap<>();
                for (String key : ExecutorClassPath.KEYS) conf.put(key, sc.getConf().get(key, ""));
                conf.put(ExecutorClassPath.SPARK_HOME, System.getenv().getOrDefault("SPARK_HOME", ""));
                String missing = ExecutorClassPath.missing(conf);
                if (missing != null) throw new IllegalStateException(missing);  // fails the SparkContext, on purpose
                return Map.of();
            }

            @Override
            public void shutdown() {
                releaseAndSweep("driver");
            }
        };
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            @Override
            public void init(PluginContext ctx, Map<String, String> extraConf) {
                sweep("executor start");
            }

            @Override
            public void shutdown() {
                releaseAndSweep("executor stop");
            }
        };
    }

    /** Closes this JVM's views, releases its copies, sweeps orphans; never throws. */
    static void releaseAndSweep(String when) {
        try {
            List<Throwable> failures = HostCopies.releaseAll();
            for (Throwable t : failures) LOG.warn("memshare ({}): releasing a host copy failed: {}", when, t.toString());
        } catch (Throwable t) {
            warn(when + ": releasing host copies", t);
        }
        sweep(when);
    }

    /** Removes crash orphans of this user's dead processes on this host; never throws. */
    static void sweep(String when) {
        try {
            SweepReport r = Segments.sweep(null, false);
            if (!r.removed().isEmpty()) LOG.info("memshare ({}): swept {} crash orphan(s): {}", when, r.removed().size(), r.removed());
        } catch (Throwable t) {
            warn(when + ": sweeping crash orphans", t);
        }
    }

    private static void warn(String what, Throwable t) {
        try {
            LOG.warn("memshare ({}) failed: {}", what, t.toString());
        } catch (Throwable ignored) {
            // logging itself failed: nothing more to do without throwing
        }
    }
}
