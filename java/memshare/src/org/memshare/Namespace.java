package org.memshare;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import org.memshare.internal.ArrayAccess;
import org.memshare.internal.HandleState;
import org.memshare.internal.MappedMemory;
import org.memshare.internal.NativeAttachment;
import org.memshare.internal.NativeLoader;
import org.memshare.internal.NativeRegistry;

/**
 * A shared-memory namespace: processes that use the same namespace name find the same variables.
 * Register data into it (you own the resulting {@link Page}) and view variables anyone registered.
 *
 * <pre>{@code
 * try (Namespace ns = Namespace.of("rns")) {
 *     ns.register("X", Matrix.of(2, 3, new double[] {1, 2, 3, 4, 5, 6}));
 *     try (MatrixView x = ns.matrix("X")) {
 *         double v = x.get(1, 2);   // 6.0
 *     }
 * }   // closing the namespace releases what this JVM holds in it
 * }</pre>
 *
 * Thread-safe. Pages registered here stay registered while this object (or the page) is
 * reachable; once neither is, a {@code Cleaner} releases them at the next GC, for every process.
 * Keep it for as long as others should see the variables, or use {@link #held(String)}, which
 * keeps them until released. Closing it releases the pages and views obtained through it.
 */
public final class Namespace implements AutoCloseable {
    private final String name;
    private final NamespaceOptions options;
    /** Hold views strongly until released (the facade's R semantics); else views live as long as the caller keeps them. */
    private final boolean holdViews;
    /** States of every handle obtained here, for close(). States never reference their handles. */
    private final Set<HandleState> ownStates = ConcurrentHashMap.newKeySet();
    /** Pages stay registered while this object is reachable, whether or not the caller keeps them. */
    private final Queue<Page> heldPages = new ConcurrentLinkedQueue<>();
    private final Queue<View> heldViews = new ConcurrentLinkedQueue<>();

    Namespace(String name, NamespaceOptions options, boolean holdViews) {
        this.name = Objects.requireNonNull(name, "namespace");
        this.options = Objects.requireNonNull(options, "options");
        this.holdViews = holdViews;
        NativeLoader.load();  // a missing library is a NativeLibraryException here, with the full story
        Lifecycle.ensureShutdownHook();
        // No Cleaner of its own: once this object is unreachable, so are the pages it held
        // (unless the caller keeps them), and their own Cleaners release them.
    }

    /** The namespace {@code name} with default options (owner-only segments). */
    public static Namespace of(String name) {
        return new Namespace(name, NamespaceOptions.DEFAULT, false);
    }

    /** The namespace {@code name} with the given options. */
    public static Namespace of(String name, NamespaceOptions options) {
        return new Namespace(name, options, false);
    }

    /** The {@link #held} namespaces, one per name, for the life of the JVM. */
    private static final Map<String, Namespace> HELD = new ConcurrentHashMap<>();

    /**
     * The namespace {@code name} as R uses it: pages and views obtained through it stay until
     * released explicitly ({@link #release}, {@link #releaseViews}, {@link #releaseAll(String)}),
     * not only while the handles are reachable. One object per name for the life of the JVM,
     * with default options; the R-named facade registers and views through it.
     */
    public static Namespace held(String name) {
        Objects.requireNonNull(name, "namespace");
        return HELD.computeIfAbsent(name, n -> new Namespace(n, NamespaceOptions.DEFAULT, true));
    }

    /** The namespace name. */
    public String name() {
        return name;
    }

    /** The options. */
    public NamespaceOptions options() {
        return options;
    }

    // ---------------------------------------------------------------- registration

    // One overload per accepted data type, so that the compiler rejects anything else; only
    // registerAll, whose map holds mixed types by nature, dispatches at run time (by instanceof).

    /**
     * Registers a copy of {@code data} as the float64 vector {@code var}. Views can attach as soon
     * as this returns.
     *
     * <p><b>Lifetime</b> (every {@code register} and {@code allocate} method): the variable stays
     * registered while this namespace or the returned page is reachable, or until closed. A
     * program that drops both, as in {@code Namespace.of("ns").register("v", data);}, loses the
     * variable at the next garbage collection, for every process: a {@code Cleaner} releases it.
     * A program that only publishes keeps this namespace (a field, or a try-with-resources around
     * its work), or registers through {@link #held(String)} (what the facade's
     * {@code registerVariables} uses), which keeps pages until released or the JVM exits.
     *
     * @param var  the variable name
     * @param data the values, copied
     * @return the page, published
     * @throws AlreadyRegisteredException if the name is taken (by any process)
     * @throws OutOfSpaceException        if shared memory is full (nothing is left behind)
     * @throws InvalidNameException       if the name breaks the naming rules
     */
    public ArrayPage register(String var, double[] data) {
        return registerArray(var, Shape.vector(checked(var, data).length), Matrix.of(data.length, 1, data));
    }

    /**
     * Registers a copy of {@code data} as the float32 vector {@code var}; otherwise as
     * {@link #register(String, double[])}.
     *
     * @param var  the variable name
     * @param data the values, copied
     * @return the page, published
     */
    public ArrayPage register(String var, float[] data) {
        return registerArray(var, Shape.vector(checked(var, data).length), Matrix.of(data.length, 1, data));
    }

    /**
     * Registers a copy of {@code data} as the int64 vector {@code var}; otherwise as
     * {@link #register(String, double[])}.
     *
     * @param var  the variable name
     * @param data the values, copied
     * @return the page, published
     */
    public ArrayPage register(String var, long[] data) {
        return registerArray(var, Shape.vector(checked(var, data).length), Matrix.of(data.length, 1, data));
    }

    /**
     * Registers a copy of {@code data} as the int32 vector {@code var}; otherwise as
     * {@link #register(String, double[])}.
     *
     * @param var  the variable name
     * @param data the values, copied
     * @return the page, published
     */
    public ArrayPage register(String var, int[] data) {
        return registerArray(var, Shape.vector(checked(var, data).length), Matrix.of(data.length, 1, data));
    }

    /**
     * Registers a copy of {@code data} as the int8 vector {@code var}; otherwise as
     * {@link #register(String, double[])}.
     *
     * @param var  the variable name
     * @param data the values, copied
     * @return the page, published
     */
    public ArrayPage register(String var, byte[] data) {
        return registerArray(var, Shape.vector(checked(var, data).length), Matrix.of(data.length, 1, data));
    }

    /**
     * Registers a copy of {@code matrix} as the matrix {@code var}, of the matrix's element type;
     * otherwise as {@link #register(String, double[])}.
     *
     * @param var    the variable name
     * @param matrix the matrix, copied
     * @return the page, published
     */
    public ArrayPage register(String var, Matrix matrix) {
        checked(var, matrix);
        return registerArray(var, Shape.matrix(matrix.nrow(), matrix.ncol()), matrix);
    }

    /**
     * Registers a copy of {@code elements} as the list {@code var}: each element a primitive array
     * ({@code double[]}, {@code float[]}, {@code long[]}, {@code int[]}, {@code byte[]}, a vector)
     * or a {@link Matrix}, all of one element type (lists do not nest). Otherwise as
     * {@link #register(String, double[])}.
     *
     * @param var      the variable name
     * @param elements the elements, copied
     * @return the page, published
     * @throws IllegalArgumentException for an element of another type, or mixed element types
     */
    public Page register(String var, List<?> elements) {
        return registerList(var, checked(var, elements));
    }

    /**
     * Registers every entry of {@code variables} (name to data), all or nothing: if one fails, the
     * ones this call registered are released again before the exception leaves. Each value goes
     * to the {@code register} overload of its type: {@code double[]}, {@code float[]},
     * {@code long[]}, {@code int[]}, {@code byte[]}, {@link Matrix} or a {@link List} of those.
     * What R's {@code registerVariables} and the shared variables of an apply call take.
     *
     * @param variables the variables by name, in the map's iteration order
     * @return the pages, in the same order
     * @throws IllegalArgumentException naming the variable, for a value of any other type
     */
    public List<Page> registerAll(Map<String, ?> variables) {
        List<Page> done = new ArrayList<>();
        try {
            for (Map.Entry<String, ?> e : variables.entrySet()) done.add(registerValue(e.getKey(), e.getValue()));
        } catch (RuntimeException | Error e) {
            for (Page p : done) p.close();
            throw e;
        }
        return done;
    }

    private Page registerValue(String var, Object data) {
        checked(var, data);
        if (data instanceof double[]) return register(var, (double[]) data);
        if (data instanceof float[]) return register(var, (float[]) data);
        if (data instanceof long[]) return register(var, (long[]) data);
        if (data instanceof int[]) return register(var, (int[]) data);
        if (data instanceof byte[]) return register(var, (byte[]) data);
        if (data instanceof Matrix) return register(var, (Matrix) data);
        if (data instanceof List) return register(var, (List<?>) data);
        throw new IllegalArgumentException("variable '" + var + "': cannot register " + data.getClass().getTypeName()
                + "; accepted are double[], float[], long[], int[], byte[], Matrix, or a List of those"
                + (data instanceof Object[] ? " (for a double[][] use Matrix.fromRows)" : ""));
    }

    /** The null checks every registration starts with, naming the variable. */
    private static <T> T checked(String var, T data) {
        Objects.requireNonNull(var, "variable name");
        return Objects.requireNonNull(data, "data of variable '" + var + "'");
    }

    /** {@code values} holds {@code shape.length()} values, as the public overloads guarantee. */
    private ArrayPage registerArray(String var, Shape shape, Matrix values) {
        ArrayPage page = allocate(var, values.elementType(), shape);
        try {
            Guard.bulk(page, values::copyInto);
            page.publish();
        } catch (RuntimeException | Error e) {
            page.close();
            throw e;
        }
        return page;
    }

    /** A zero-filled, unpublished matrix page to fill in place, then {@link ArrayPage#publish()}. */
    public ArrayPage allocateMatrix(String var, ElementType type, long nrow, long ncol) {
        return allocate(var, type, Shape.matrix(nrow, ncol));
    }

    /** A zero-filled, unpublished vector page to fill in place, then {@link ArrayPage#publish()}. */
    public ArrayPage allocateVector(String var, ElementType type, long n) {
        return allocate(var, type, Shape.vector(n));
    }

    private ArrayPage allocate(String var, ElementType type, Shape shape) {
        Objects.requireNonNull(var, "variable name");
        NativeAttachment a = NativeRegistry.createPage(name, var, shape.kind().code(), type.code(), shape.nrow(),
                shape.ncol(), null, options.mode());
        return arm(a, Held.PAGE, (state, memory) ->
                new ArrayPage(Infos.of(a), state, new ArrayAccess(memory, 0, type, shape), a.lease));
    }

    private Page registerList(String var, List<?> elements) {
        ElementType type = null;
        List<Shape> shapes = new ArrayList<>();
        List<Matrix> values = new ArrayList<>();  // a vector as an n x 1 matrix; its shape says which
        for (int i = 0; i < elements.size(); i++) {
            Object e = elements.get(i);
            Matrix m;
            try {
                m = e instanceof Matrix ? (Matrix) e : Matrix.column(e);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("variable '" + var + "', list element " + i + ": " + ex.getMessage()
                        + " or a Matrix (lists do not nest)");
            }
            ElementType t = m.elementType();
            if (type != null && t != type)
                throw new IllegalArgumentException("variable '" + var + "': list element " + i + " is " + t
                        + " but element 0 is " + type + "; a shared list has one element type");
            type = t;
            shapes.add(e instanceof Matrix ? Shape.matrix(m.nrow(), m.ncol()) : Shape.vector(m.nrow()));
            values.add(m);
        }
        if (type == null) type = ElementType.FLOAT64;
        long[] triples = new long[3 * shapes.size()];
        for (int i = 0; i < shapes.size(); i++) {
            triples[3 * i] = shapes.get(i).kind().code();
            triples[3 * i + 1] = shapes.get(i).nrow();
            triples[3 * i + 2] = shapes.get(i).ncol();
        }
        NativeAttachment a = NativeRegistry.createPage(name, var, VariableKind.LIST.code(), type.code(), 0, 0,
                triples, options.mode());
        final ElementType listType = type;
        Page page = arm(a, Held.PAGE, (state, memory) -> {
            for (int i = 0; i < values.size(); i++)
                values.get(i).copyInto(new ArrayAccess(memory, a.elementOffsets[i], listType, shapes.get(i)));
            return new Page(Infos.of(a), state, null);
        });
        try {
            NativeRegistry.publish(name, var, a.lease);
        } catch (RuntimeException | Error e) {
            page.close();
            throw e;
        }
        return page;
    }

    /**
     * Wraps what the native registry attached (a page or a view reference) into a handle: the
     * memory, the closed state, the Cleaner fallback and the tracking for releaseViews / gc /
     * releaseAll. On any failure the native side is released before the exception leaves.
     */
    private <T> T arm(NativeAttachment a, Held held, BiFunction<HandleState, MappedMemory, T> build) {
        final String ns = a.namespace, var = a.variable;
        final long lease = a.lease;
        final boolean page = held == Held.PAGE;
        final OpenHandles tracker = held.tracker;
        final Set<HandleState> own = ownStates;
        final HandleState state = new HandleState(ns, var, held.what);
        final AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (!released.compareAndSet(false, true)) return;
            tracker.remove(ns, var, state);
            own.remove(state);
            try {
                if (page) NativeRegistry.releasePage(ns, var, lease);
                else if (held == Held.VIEW) NativeRegistry.releaseView(ns, var, lease);
                else NativeRegistry.releaseWriter(ns, var, lease);
            } catch (VariableNotFoundException alreadyGone) {
                // removed by an outside process, or the registry released it already
            }
        };
        MappedMemory memory = new MappedMemory(a.pin, a.sizeBytes, held != Held.VIEW, release);  // releases on failure
        T owner;
        try {
            owner = build.apply(state, memory);
            state.arm(owner, release, memory::releaseHold);
        } catch (RuntimeException | Error e) {
            release.run();
            memory.releaseHold();
            throw e;
        }
        tracker.add(ns, var, state);
        own.add(state);
        if (page) {
            heldPages.removeIf(Page::isClosed);
            heldPages.add((Page) owner);
        } else if (held == Held.VIEW && holdViews) {
            heldViews.removeIf(View::isClosed);
            heldViews.add((View) owner);
        }
        return owner;
    }

    /** What a handle holds: a page, a read-only view, or a writable mapping of a page being filled. */
    private enum Held {
        PAGE(OpenHandles.PAGES, "page"), VIEW(OpenHandles.VIEWS, "view"), WRITER(OpenHandles.WRITERS, "writable view");

        final OpenHandles tracker;
        final String what;

        Held(OpenHandles tracker, String what) {
            this.tracker = tracker;
            this.what = what;
        }
    }

    /**
     * Opt-in write access to a matrix or vector page that another process of this user (or this
     * one) has allocated and not published yet, so that cooperating processes fill it in place,
     * each its own part (what {@code memApply} into a shared output does; docs/APPLY.md). The
     * mapping is writable at the OS level, but only for a page in the filling state whose segments
     * belong to this user and whose owner is alive; a published variable, another user's page or a
     * crash orphan is refused with a {@link PermissionDeniedException}. Views ({@link #view}) stay
     * read-only. Close it before the owner publishes: the owner cannot tell that a writer is
     * done (docs/SECURITY.md).
     *
     * @throws VariableNotFoundException if no such variable exists
     * @throws PermissionDeniedException if it is published, another user's, or its owner is dead
     */
    public WritableView attachForFilling(String var) {
        Objects.requireNonNull(var, "variable name");
        NativeAttachment a = NativeRegistry.acquireWriter(name, var);
        return arm(a, Held.WRITER, (state, memory) -> {
            VariableInfo info = Infos.of(a);
            if (info.kind() == VariableKind.LIST)
                throw new IllegalArgumentException("variable '" + var + "' in namespace '" + name
                        + "' is a list; only matrices and vectors are filled by several processes");
            return new WritableView(info, state, new ArrayAccess(memory, 0, info.elementType(), info.shape()));
        });
    }

    // ---------------------------------------------------------------- views

    /**
     * A read-only view of {@code var} ({@link MatrixView}, {@link VectorView} or {@link ListView}),
     * after validating its metadata against the data segment.
     *
     * @throws VariableNotFoundException if no such variable is registered
     * @throws CorruptSegmentException   if its segments are inconsistent
     * @throws PermissionDeniedException if another user owns it and foreign owners are not allowed
     */
    public View view(String var) {
        Objects.requireNonNull(var, "variable name");
        NativeAttachment a = NativeRegistry.acquireView(name, var, options.allowForeignOwners());
        return arm(a, Held.VIEW, (state, memory) -> newView(a, state, memory));
    }

    private static View newView(NativeAttachment a, HandleState state, MappedMemory memory) {
        VariableInfo info = Infos.of(a);
        if (info.kind() != VariableKind.LIST)
            return arrayView(info, state, true, new ArrayAccess(memory, 0, info.elementType(), info.shape()));
        long[] offsets = a.elementOffsets;  // the core's layout of the list
        List<ArrayView> elements = new ArrayList<>();
        for (int i = 0; i < offsets.length; i++) {
            Shape s = info.elements().get(i);
            VariableInfo ei = new VariableInfo(info.namespace(), info.name() + "[" + i + "]", s.kind(), info.elementType(),
                    s, List.of(), s.length() * info.elementType().byteSize(), info.ownerPid(), info.references());
            elements.add(arrayView(ei, state, false, new ArrayAccess(memory, offsets[i], info.elementType(), s)));
        }
        return new ListView(info, state, elements);
    }

    private static ArrayView arrayView(VariableInfo info, HandleState state, boolean owns, ArrayAccess access) {
        return info.kind() == VariableKind.MATRIX ? new MatrixView(info, state, owns, access)
                                                  : new VectorView(info, state, owns, access);
    }

    /** A view of a matrix variable; throws {@link IllegalArgumentException} (after releasing it) if it is not one. */
    public MatrixView matrix(String var) {
        return typed(var, MatrixView.class);
    }

    /** A view of a vector variable. */
    public VectorView vector(String var) {
        return typed(var, VectorView.class);
    }

    /** A view of a list variable. */
    public ListView list(String var) {
        return typed(var, ListView.class);
    }

    private <T extends View> T typed(String var, Class<T> type) {
        View v = view(var);
        try {
            return v.as(type);
        } catch (IllegalArgumentException notThatKind) {
            v.close();
            throw notThatKind;
        }
    }

    // ---------------------------------------------------------------- inspection and release

    /** The metadata of {@code var}, validated, without mapping its data. */
    public VariableInfo metadata(String var) {
        return Infos.of(NativeRegistry.readMetadata(name, Objects.requireNonNull(var, "variable name"),
                options.allowForeignOwners()));
    }

    /** Whether {@code var} is registered (by any process) and readable. */
    public boolean exists(String var) {
        try {
            metadata(var);
            return true;
        } catch (VariableNotFoundException e) {
            return false;
        }
    }

    /** Releases this JVM's page of {@code var}. @throws VariableNotFoundException if this JVM owns none. */
    public void release(String var) {
        OpenHandles.releasePages(name, var);
    }

    /**
     * Closes every view this JVM holds of {@code var}, whichever {@code Namespace} object
     * obtained it. @throws VariableNotFoundException if this JVM holds none
     */
    public void releaseViews(String var) {
        OpenHandles.releaseViews(name, var);
    }

    /**
     * Releases every view, then every page, this JVM holds in namespace {@code ns}, whichever
     * {@code Namespace} object obtained them (R's {@code memshare_gc}).
     */
    public static void releaseAll(String ns) {
        OpenHandles.releaseAll(Objects.requireNonNull(ns, "namespace"));
    }

    /**
     * Releases every page and view this JVM holds, in every namespace, whichever
     * {@code Namespace} object (or the R-named facade) obtained them; also run at JVM exit.
     */
    public static void releaseAll() {
        OpenHandles.releaseAll(null);
    }

    /** Pages this JVM owns in this namespace. */
    public List<VariableInfo> pages() {
        return Infos.of(NativeRegistry.pageList(name));
    }

    /** Variables this JVM holds views of in this namespace. */
    public List<VariableInfo> views() {
        return Infos.of(NativeRegistry.viewList(name));
    }

    /** Every page this JVM owns, in every namespace, sorted by namespace and name. */
    public static List<VariableInfo> allPages() {
        NativeLoader.load();
        return Infos.of(NativeRegistry.pageList(null));
    }

    /** Every variable this JVM holds views of, in every namespace, sorted by namespace and name. */
    public static List<VariableInfo> allViews() {
        NativeLoader.load();
        return Infos.of(NativeRegistry.viewList(null));
    }

    /**
     * The interprocess lock {@code name} of this namespace, created if no process has it open
     * (docs/LOCKS.md). Closing this {@code Namespace} closes it too.
     *
     * @throws InvalidNameException if the name breaks the naming rule
     * @throws CorruptSegmentException if something that is not a lock holds its name
     */
    public InterprocessLock lock(String name) {
        return new InterprocessLock(this.name, name, options.mode(), ownStates);
    }

    /**
     * Releases every page and view obtained through this {@code Namespace} object (other objects
     * for the same name, and the facade, keep theirs; {@link #releaseAll(String)} releases them all).
     */
    @Override
    public void close() {
        for (HandleState s : List.copyOf(ownStates)) s.close();
    }

    @Override
    public String toString() {
        return "Namespace[" + name + "]";
    }
}
