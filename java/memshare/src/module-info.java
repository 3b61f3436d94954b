/**
 * memshare for Java: zero-copy sharing of numeric data between processes through OS shared
 * memory, compatible with R's memshare.
 *
 * <p>The API is the five exported packages; {@code org.memshare.internal} (the JNI bindings, the
 * native loader, handle state and cleaners) is not exported, so no other module can reach it.
 *
 * <p>Native access: the library loads its JNI library with {@code System.load}. JDK 24 and later
 * warn about that unless the application allows it, with {@code --enable-native-access=org.memshare}
 * when this JAR is on the module path ({@code ALL-UNNAMED} on the class path). No directive here
 * can grant it: the JDK leaves that choice to the application.
 *
 * <p>Nothing else needs opening: JNI reaches the internal classes without module checks, the
 * bundled libraries under {@code org/memshare/native/<os>-<arch>/} are in no package (the
 * directory names are not Java identifiers), so they are not encapsulated, and the worker JVMs
 * that {@code WorkerCluster} starts are launched with this module as their main module.
 */
module org.memshare {
    // LibraryExtractor compares the owner of its extraction directory with this process's uid
    // (com.sun.security.auth.module.UnixSystem). Every JDK has the module; jlink adds it.
    requires jdk.security.auth;

    exports org.memshare;
    exports org.memshare.apply;
    exports org.memshare.mi;
    exports org.memshare.facade;
    exports org.memshare.text;
}
