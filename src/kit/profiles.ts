/**
 * Finding a device profile for `--device`: a shipped profile by name (config/devices/<name>.yaml),
 * or any profile file by path, so a new device needs only a new file.
 */
import { join, resolve } from "node:path";
import { nearest } from "../config/suggest.js";
import { UsageError } from "../core/errors.js";
import { isFile, listNames } from "../io/fs.js";
import { readTextFile } from "../io/textfile.js";
import { DEVICES_DIR, type DeviceProfile, parseDeviceProfile } from "./profile.js";

/** Names of the shipped profiles, sorted. */
export async function shippedDevices(): Promise<string[]> {
  return (await listNames(DEVICES_DIR))
    .filter((n) => n.endsWith(".yaml"))
    .map((n) => n.slice(0, -".yaml".length))
    .sort();
}

/** The profile `--device` names: a shipped one by name, or a `.yaml` file (relative to `cwd`). */
export async function loadDeviceProfile(device: string, cwd: string): Promise<DeviceProfile> {
  const isPath = /\.ya?ml$/i.test(device) || device.includes("/") || device.includes("\\");
  const path = isPath ? resolve(cwd, device) : join(DEVICES_DIR, `${device}.yaml`);
  if (!(await isFile(path))) {
    if (isPath) throw new UsageError("--device: no such profile file", { path });
    const have = await shippedDevices();
    const guess = nearest(device, have);
    throw new UsageError(
      `unknown device "${device}"${guess ? `: did you mean ${guess}?` : ""} ` +
        `(shipped: ${have.join(", ")}; or give a profile file, e.g. --device my-sampler.yaml)`,
    );
  }
  return parseDeviceProfile(await readTextFile(path), path);
}
