package dev.trainyard.engine.backend;

import dev.trainyard.engine.backend.cpu.CpuKernels;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/** For tests of the composed defaults in {@link Kernels}: a device that overrides none of them. */
public final class ComposedKernels {

    /** The CPU's primitives and nothing else: every default method runs as composed. */
    public static final Kernels OVER_CPU = (Kernels) Proxy.newProxyInstance(Kernels.class.getClassLoader(),
            new Class<?>[] {Kernels.class}, defaultsOverCpu());

    private ComposedKernels() {
    }

    private static InvocationHandler defaultsOverCpu() {
        return (proxy, method, args) -> {
            try {
                return method.isDefault() ? InvocationHandler.invokeDefault(proxy, method, args)
                        : method.invoke(CpuKernels.INSTANCE, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
    }
}
