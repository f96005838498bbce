"""A throw-away single-node SLURM cluster on this machine, for tests/test_slurm_cluster.py.

The cluster's state, spool and daemon logs live in one scratch directory; its slurm.conf must be
/etc/slurm/slurm.conf, where SLURM looks by default (the SLURM plugin deletes SLURM_* variables,
SLURM_CONF too, inside each job before it calls srun). An existing slurm.conf is never overwritten,
except one this module wrote (a test run killed before it could remove it). Its daemons (munged if none is running, slurmctld, slurmd) run in
the foreground as child processes and are stopped by PID, never by name. Needs root (slurmd
starts jobs as the submitting user and SlurmUser=root); slurm-wlm and munge are installed with
apt-get when missing.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

PACKAGES = ("slurm-wlm", "munge")
DAEMONS = ("slurmctld", "slurmd", "munged", "sinfo", "sbatch", "squeue", "scancel")
MUNGE_DIRS = (Path("/run/munge"), Path("/var/lib/munge"), Path("/var/log/munge"))
PARTITION = "ci"
# How long slurmctld keeps a finished job. The squeue status command needs at least 3 x the first
# status-check delay (else the plugin falls back to sacct, which fails without accounting), and the
# test reads every job of the run from squeue afterwards: an hour covers a slow, loaded machine
# (SLURM's default of 300 s did not).
MIN_JOB_AGE = 3600
CONF = Path("/etc/slurm/slurm.conf")
REAL_PROFILE = Path("profiles") / "slurm" / "config.yaml"
# What a one-node cluster without accounting needs, and nothing else: its partition and account
# names, squeue as status command (sacct fails without slurmdbd) and a 3 s first status check
# instead of 40 s (MIN_JOB_AGE >= 3 x 3 s). The plugin adds 10 s to the wait after
# every check that finds no job finished (3, 16, 39 s, ...): 3 s catches most tiny jobs (5-15 s
# each, a Snakemake start-up included) at the second check; 1 s missed them until the third (33 s).
CLUSTER_SETTINGS = {"slurm-status-command": "squeue", "slurm-init-seconds-before-status-checks": 3}
CLUSTER_RESOURCES = {"slurm_partition": PARTITION, "slurm_account": "ci"}
MARKER = "# Written by rgcoarse tests/slurm_cluster.py for a throw-away test cluster."


def cluster_profile(real: dict) -> dict:
    """The real SLURM profile with this cluster's partition, account and status settings."""
    profile = {**real, **CLUSTER_SETTINGS}
    profile["default-resources"] = {**real["default-resources"], **CLUSTER_RESOURCES}
    return profile


class ClusterUnavailable(Exception):
    """This machine cannot run the test cluster (not root, no apt-get, ...)."""


def missing_tools() -> list:
    return [name for name in DAEMONS if shutil.which(name) is None]


def install_slurm() -> None:
    """Install slurm-wlm and munge when a tool is missing; ClusterUnavailable if that is impossible."""
    if not missing_tools():
        return
    if os.geteuid() != 0:
        raise ClusterUnavailable(f"SLURM tools missing ({', '.join(missing_tools())}) and not root to install them")
    if shutil.which("apt-get") is None:
        raise ClusterUnavailable(f"SLURM tools missing ({', '.join(missing_tools())}) and no apt-get to install them")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *PACKAGES]
    proc = subprocess.run(install, capture_output=True, text=True, env=env)
    if proc.returncode != 0:  # a fresh image may have no package lists yet
        subprocess.run(["apt-get", "update", "-q"], capture_output=True, text=True, env=env)
        proc = subprocess.run(install, capture_output=True, text=True, env=env)
    if proc.returncode != 0 or missing_tools():
        raise RuntimeError(f"apt-get install {' '.join(PACKAGES)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def node_memory_mb() -> int:
    """The machine's memory in MB, less 1 GiB for the system (slurmd drains a node that claims more than it has)."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) // 1024 - 1024
    raise RuntimeError("no MemTotal in /proc/meminfo")


def slurm_conf(directory: Path, host: str, cpus: int, memory_mb: int, ports: tuple) -> str:
    """slurm.conf of a one-node cluster whose state, spool and logs all live under ``directory``."""
    ctld_port, slurmd_port = ports
    return f"""\
{MARKER}
ClusterName=rgcoarse-ci
SlurmctldHost={host}(127.0.0.1)
SlurmctldPort={ctld_port}
SlurmdPort={slurmd_port}
SlurmUser=root
AuthType=auth/munge
StateSaveLocation={directory}/state
SlurmdSpoolDir={directory}/spool
SlurmctldPidFile={directory}/slurmctld.pid
SlurmdPidFile={directory}/slurmd.pid
SlurmctldLogFile={directory}/slurmctld.log
SlurmdLogFile={directory}/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
# Without a default, a job that names no memory would take the whole node.
DefMemPerCPU=1000
MailProg=/bin/true
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
MinJobAge={MIN_JOB_AGE}
ReturnToService=2
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1
NodeName={host} NodeAddr=127.0.0.1 CPUs={cpus} RealMemory={memory_mb} State=UNKNOWN
PartitionName={PARTITION} Nodes={host} Default=YES MaxTime=INFINITE State=UP
"""


def munge_works() -> bool:
    """True when a munged answers (``munge -n | unmunge``)."""
    cred = subprocess.run(["munge", "-n"], capture_output=True)
    if cred.returncode != 0:
        return False
    return subprocess.run(["unmunge"], input=cred.stdout, capture_output=True).returncode == 0


def wait_for(condition, timeout: float, what: str, logs=()) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            tails = "\n".join(f"--- {log}:\n{_tail(log)}" for log in logs)
            raise RuntimeError(f"timed out after {timeout} s waiting for {what}\n{tails}")
        time.sleep(0.2)


def _tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else "(no file)"


@dataclass
class Cluster:
    directory: Path
    host: str
    env: dict  # the environment of SLURM clients and Snakemake
    processes: dict = field(default_factory=dict)  # name -> Popen of each daemon started here

    def run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        proc = subprocess.run(command, capture_output=True, text=True, env=self.env, timeout=60)
        if check and proc.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        return proc

    def node_state(self) -> str:
        return self.run("sinfo", "--noheader", "--format=%T", check=False).stdout.strip()

    def jobs(self) -> list:
        """Every job slurmctld knows of (finished ones for MinJobAge): dicts of id, name, state, comment."""
        out = self.run("squeue", "--states=all", "--noheader", "--format=%i|%j|%T|%k").stdout
        keys = ("id", "name", "state", "comment")
        return [dict(zip(keys, line.split("|", 3))) for line in out.splitlines() if line.strip()]

    def cancel_all(self) -> None:
        """Cancel every job left and wait until none runs: a job step outliving slurmctld never exits."""
        active = [job["id"] for job in self.jobs() if job["state"] in ("PENDING", "RUNNING", "COMPLETING")]
        if active:
            self.run("scancel", *active, check=False)
            wait_for(lambda: not any(job["state"] in ("RUNNING", "COMPLETING") for job in self.jobs()), 30, "cancelled jobs to end")

    def stop(self) -> None:
        """Cancel leftover jobs, then stop every daemon started here, by PID (slurmd before slurmctld)."""
        if self.processes.get("slurmctld") and self.processes["slurmctld"].poll() is None:
            try:
                self.cancel_all()
            except (RuntimeError, subprocess.TimeoutExpired):
                pass  # still stop the daemons; the leftover is in slurmd.log
        for name in ("slurmd", "slurmctld", "munged"):
            proc = self.processes.pop(name, None)
            if proc is None or proc.poll() is not None:
                continue
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if CONF.exists() and MARKER in CONF.read_text():
            CONF.unlink()


def _start(cluster: Cluster, name: str, command: list, **kwargs) -> None:
    log = open(cluster.directory / f"{name}.out", "w")
    cluster.processes[name] = subprocess.Popen(
        command, stdout=log, stderr=subprocess.STDOUT, env=cluster.env, start_new_session=True, **kwargs
    )
    log.close()


def _start_munge(cluster: Cluster) -> None:
    """munged as the munge user; reuse one that already runs (it is not ours to stop)."""
    if munge_works():
        return
    for path in MUNGE_DIRS:
        path.mkdir(parents=True, exist_ok=True)
        shutil.chown(path, "munge", "munge")
    _start(cluster, "munged", ["munged", "--foreground"], user="munge", group="munge")
    wait_for(munge_works, 10, "munged to answer", [cluster.directory / "munged.out", Path("/var/log/munge/munged.log")])


def start_cluster(directory: Path) -> Cluster:
    """Install SLURM if needed, write slurm.conf and start the daemons; wait until the node is idle.

    On any failure the daemons started so far are stopped before the error propagates.
    """
    if os.geteuid() != 0:
        raise ClusterUnavailable("the test cluster needs root (slurmd runs jobs as the submitting user)")
    install_slurm()
    if CONF.exists() and MARKER not in CONF.read_text():
        raise RuntimeError(f"{CONF} exists and is not a test cluster's; not overwriting it")
    directory.mkdir(parents=True, exist_ok=True)
    for sub in ("state", "spool"):
        (directory / sub).mkdir(exist_ok=True)
    host = socket.gethostname().split(".")[0]
    CONF.write_text(slurm_conf(directory, host, os.cpu_count() or 1, node_memory_mb(), (free_port(), free_port())))
    env = {key: value for key, value in os.environ.items() if key != "SLURM_CONF"}
    cluster = Cluster(directory, host, env)
    logs = [directory / name for name in ("slurmctld.log", "slurmd.log", "slurmctld.out", "slurmd.out")]
    try:
        _start_munge(cluster)
        # -D: stay in the foreground so that the PID we hold is the daemon's.
        _start(cluster, "slurmctld", ["slurmctld", "-D"])
        _start(cluster, "slurmd", ["slurmd", "-D", "-N", host])
        wait_for(lambda: cluster.node_state() == "idle", 30, f"node {host} to be idle", logs)
    except BaseException:
        cluster.stop()
        raise
    return cluster
