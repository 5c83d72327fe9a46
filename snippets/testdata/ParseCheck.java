import com.sun.source.util.JavacTask;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

// ParseCheck parses Java sources with javac's own parser, without resolving
// names: for snippets whose libraries (Spring) are not installed.
public class ParseCheck {
    public static void main(String[] args) throws Exception {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
        StandardJavaFileManager files = compiler.getStandardFileManager(diags, null, null);
        JavacTask task = (JavacTask) compiler.getTask(null, files, diags, List.of("-proc:none"), null, files.getJavaFileObjects(args));
        task.parse();
        boolean failed = false;
        for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                System.err.println(d);
                failed = true;
            }
        }
        System.exit(failed ? 1 : 0);
    }
}
