package dev.trainyard.worker.devices;

import dev.trainyard.worker.client.ClientRecords.Gpu;
import dev.trainyard.worker.devices.GpuProbe.Discovery;
import jcuda.CudaException;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JCuda calls, apart from {@link JCudaGpuProbe} so that a class path without JCuda surfaces as a
 * NoClassDefFoundError there when this class is first used, rather than breaking the probe itself.
 */
final class CudaDriverQuery {
    private static final int NAME_BYTES = 256;

    private CudaDriverQuery() {
    }

    static Discovery devices() {
        try {
            JCudaDriver.setExceptionsEnabled(true);
            JCudaDriver.cuInit(0);
            int[] count = new int[1];
            JCudaDriver.cuDeviceGetCount(count);
            if (count[0] == 0) {
                return Discovery.none("the CUDA driver reports no devices");
            }
            List<Gpu> gpus = new ArrayList<>();
            for (int i = 0; i < count[0]; i++) {
                CUdevice device = new CUdevice();
                JCudaDriver.cuDeviceGet(device, i);
                byte[] name = new byte[NAME_BYTES];
                JCudaDriver.cuDeviceGetName(name, NAME_BYTES, device);
                long[] bytes = new long[1];
                JCudaDriver.cuDeviceTotalMem(bytes, device);
                gpus.add(new Gpu(cString(name), (int) Math.min(Integer.MAX_VALUE, bytes[0] / (1024 * 1024))));
            }
            return Discovery.found(gpus);
        } catch (CudaException e) {
            return Discovery.none("the CUDA driver failed: " + e.getMessage());
        }
    }

    private static String cString(byte[] b) {
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, 0, end, StandardCharsets.US_ASCII).strip();
    }
}
