import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A static check that compiled classes link against a given Spark: every class, method and field
 * they reference in Spark, Scala or SLF4J (the provided dependencies) resolves, by name and full
 * descriptor, in the JARs of CLASSPATH. It catches what compiling against one Spark hides, e.g. a
 * method whose return type differs between Scala 2.12 and 2.13 (javac records the descriptor of
 * the version it compiled against; the JVM then throws NoSuchMethodError on the other).
 *
 *   java scripts/lib/SparkRefs.java CLASSES_DIR CLASSPATH LABEL
 *
 * Prints "spark refs LABEL: N references, all resolve" or each one that does not; exit 1 then.
 */
public class SparkRefs {
    static final Pattern OURS = Pattern.compile("^(org/apache/spark/|scala/|org/slf4j/)");
    static final Pattern IN_DESCRIPTOR = Pattern.compile("L((?:org/apache/spark/|scala/|org/slf4j/)[^;<]+)[;<]");

    record Ref(char kind, String owner, String name, String descriptor) {
        @Override
        public String toString() {
            return kind == 'C' ? owner : owner + "." + name + descriptor;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: java SparkRefs.java CLASSES_DIR CLASSPATH LABEL");
            System.exit(2);
        }
        Set<Ref> refs = new HashSet<>();
        try (Stream<Path> s = Files.walk(Path.of(args[0]))) {
            for (Path p : (Iterable<Path>) s.filter(f -> f.toString().endsWith(".class"))::iterator) {
                try (InputStream in = Files.newInputStream(p)) {
                    read(new DataInputStream(in), refs);
                }
            }
        }
        List<URL> urls = new ArrayList<>();
        for (String e : args[1].split(File.pathSeparator)) if (!e.isEmpty()) urls.add(Path.of(e).toUri().toURL());
        ClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
        Set<String> bad = new TreeSet<>();
        for (Ref r : refs) {
            String why = resolve(loader, r);
            if (why != null) bad.add(r + ": " + why);
        }
        if (bad.isEmpty()) {
            System.out.println("spark refs " + args[2] + ": " + refs.size() + " references, all resolve");
        } else {
            System.out.println("spark refs " + args[2] + ": " + bad.size() + " of " + refs.size() + " references do not resolve:");
            for (String b : bad) System.out.println("  " + b);
            System.exit(1);
        }
    }

    /** Adds the class file's references to Spark, Scala and SLF4J: classes, members, and every class a descriptor names. */
    static void read(DataInputStream in, Set<Ref> refs) throws IOException {
        if (in.readInt() != 0xCAFEBABE) throw new IOException("not a class file");
        in.readUnsignedShort();
        in.readUnsignedShort();
        int n = in.readUnsignedShort();
        int[] tag = new int[n], a = new int[n], b = new int[n];
        String[] utf = new String[n];
        for (int i = 1; i < n; i++) {
            tag[i] = in.readUnsignedByte();
            switch (tag[i]) {
                case 1 -> utf[i] = in.readUTF();
                case 3, 4 -> in.readInt();
                case 5, 6 -> { in.readLong(); i++; }
                case 7, 8, 16, 19, 20 -> a[i] = in.readUnsignedShort();
                case 9, 10, 11, 12, 17, 18 -> { a[i] = in.readUnsignedShort(); b[i] = in.readUnsignedShort(); }
                case 15 -> { in.readUnsignedByte(); a[i] = in.readUnsignedShort(); }
                default -> throw new IOException("constant pool tag " + tag[i]);
            }
        }
        for (int i = 1; i < n; i++) {
            if (tag[i] == 7 && OURS.matcher(utf[a[i]]).find()) refs.add(new Ref('C', utf[a[i]], "", ""));
            if (tag[i] == 9 || tag[i] == 10 || tag[i] == 11) {
                String owner = utf[a[a[i]]];
                if (OURS.matcher(owner).find())
                    refs.add(new Ref(tag[i] == 9 ? 'F' : 'M', owner, utf[a[b[i]]], utf[b[b[i]]]));
            }
            if (tag[i] == 1) {
                Matcher m = IN_DESCRIPTOR.matcher(utf[i]);
                while (m.find()) refs.add(new Ref('C', m.group(1), "", ""));
            }
        }
    }

    /** Null when the reference resolves in the loader, else why not. */
    static String resolve(ClassLoader loader, Ref r) {
        Class<?> owner;
        try {
            owner = Class.forName(r.owner().replace('/', '.'), false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return "no class " + r.owner();
        }
        if (r.kind() == 'C') return null;
        try {
            Deque<Class<?>> todo = new ArrayDeque<>(List.of(owner));
            Set<Class<?>> seen = new HashSet<>();
            while (!todo.isEmpty()) {
                Class<?> c = todo.pop();
                if (!seen.add(c)) continue;
                if (r.kind() == 'F') {
                    for (Field f : c.getDeclaredFields())
                        if (f.getName().equals(r.name()) && f.getType().descriptorString().equals(r.descriptor())) return null;
                } else if (r.name().equals("<init>")) {
                    for (Constructor<?> k : c.getDeclaredConstructors())
                        if (MethodType.methodType(void.class, k.getParameterTypes()).toMethodDescriptorString().equals(r.descriptor())) return null;
                    return "no such constructor";
                } else {
                    for (Method m : c.getDeclaredMethods())
                        if (m.getName().equals(r.name())
                                && MethodType.methodType(m.getReturnType(), m.getParameterTypes()).toMethodDescriptorString().equals(r.descriptor()))
                            return null;
                }
                if (c.getSuperclass() != null) todo.add(c.getSuperclass());
                todo.addAll(List.of(c.getInterfaces()));
            }
            return r.kind() == 'F' ? "no such field" : "no such method";
        } catch (LinkageError e) {
            return e.toString();
        }
    }
}
