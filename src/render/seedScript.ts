/**
 * The Supervisor container's start-up script (key `seed.sh` of the peers ConfigMap,
 * run as `/bin/sh /hab/peers/seed.sh ARGS`): it writes the ring's seed file, then
 * execs the image's own entrypoint with the container args. It runs under the
 * image's busybox `sh` (core/busybox-static: ash, nslookup with its own resolver)
 * on every container start, so a restarted container seeds from current addresses.
 *
 * Why a script (habitat-supervisor-runtime.md §1–3): the Supervisor reads
 * --peer-watch-file only while its member list is empty; one line that does not
 * resolve (a Pending or replaced pod, a blank line) makes it exit 86; only the
 * first address of a line is used; a line that resolves to itself latches it alone
 * for good. So the file it reads holds IPv4 addresses (which always parse) of up to
 * SEED_PEERS other pods that resolved just now, never its own, never a blank line.
 *
 * Candidates come from the peers ConfigMap: `peers` lists `<statefulset> <replicas>`
 * (pods are `<statefulset>-<i>.<service>`), `service` names the ring Service, and
 * `rings` lists joined apps' ring Services as `<service>[.<namespace>]`. Pods are
 * tried in ring order starting after this pod, so that under monotonic DNS
 * publication (first deploy) every pod links to the next one that exists and the
 * app forms one ring; joined rings contribute up to SEED_PEERS addresses each.
 *
 * busybox nslookup (FEATURE_NSLOOKUP_BIG) ignores resolv.conf `search`, so names
 * are made fully qualified with the pod's namespace and the cluster domain found in
 * the search list kubelet writes (`<ns>.svc.<domain> svc.<domain> <domain>`).
 *
 * Only fixed text and the downward-API/ConfigMap files reach the shell, always as
 * data (`read`, quoted expansions); nothing user-supplied is evaluated.
 */
export const SEED_PEERS = 3;
/** Seconds to wait for a first peer while other pods exist but none resolves yet. */
export const SEED_DEADLINE_SECONDS = 30;
/** Where the script writes, and what --peer-watch-file reads (an emptyDir). */
export const SEED_DIR = '/hab/seed';
export const SEED_FILE = `${SEED_DIR}/peers`;
/** The image's entrypoint as `hab pkg export container` writes it (Dockerfile.hbs). */
export const IMAGE_ENTRYPOINT = '/init.sh';

export const SEED_SCRIPT = `# habitat-cmp: write the ring's seed file, then start the Supervisor (see the peers ConfigMap)
set -f
trap 'exit 143' TERM INT
cfg=/hab/peers
out=${SEED_FILE}
want=${SEED_PEERS}
deadline=${SEED_DEADLINE_SECONDS}
me=\${HAB_CMP_POD_NAME:-}
my_ip=\${HAB_CMP_POD_IP:-}
ns=\${HAB_CMP_POD_NAMESPACE:-}
mine=\${me%-*}
my_ord=\${me##*-}
case $my_ord in ''|*[!0-9]*) my_ord=-1 ;; esac
svc=
[ -r "$cfg/service" ] && read -r svc < "$cfg/service"
domain=cluster.local
if [ -r /etc/resolv.conf ]; then
  while read -r key rest; do
    [ "$key" = search ] || continue
    for d in $rest; do
      case $d in "$ns".svc.?*) domain=\${d#"$ns".svc.} ;; esac
    done
  done < /etc/resolv.conf
fi

# The IPv4 addresses of one name, into $ips, from either nslookup output format:
# "Name: n" then "Address: 10.0.0.1" (own resolver) or "Address 1: 10.0.0.1 n" (libc).
resolve() {
  ips=
  nslookup "$1" > "$out.dns" 2>/dev/null
  named=
  while read -r a b c d; do
    case $a in
      Name:*) named=1 ;;
      Address*)
        [ -n "$named" ] || continue
        if [ "$a" = Address: ]; then ip=$b; else ip=$c; fi
        case $ip in ''|*[!0-9.]*) ;; *.*.*.*) ips="$ips $ip" ;; esac ;;
    esac
  done < "$out.dns"
}

# This app's pods in ring order, starting after this one.
pods() {
  [ -r "$cfg/peers" ] || return 0
  after=
  while read -r sts n; do
    case $n in ''|*[!0-9]*) continue ;; esac
    i=0
    if [ "$sts" = "$mine" ]; then after=1; i=$((my_ord + 1)); fi
    [ -n "$after" ] || continue
    while [ "$i" -lt "$n" ]; do echo "$sts-$i"; i=$((i + 1)); done
  done < "$cfg/peers"
  while read -r sts n; do
    case $n in ''|*[!0-9]*) continue ;; esac
    i=0
    if [ "$sts" = "$mine" ] && [ -n "$after" ]; then
      while [ "$i" -lt "$my_ord" ]; do echo "$sts-$i"; i=$((i + 1)); done
      break
    fi
    while [ "$i" -lt "$n" ]; do
      [ "$sts-$i" = "$me" ] || echo "$sts-$i"
      i=$((i + 1))
    done
  done < "$cfg/peers"
}

found=
count=0
add() {
  [ "$1" = "$my_ip" ] && return 1
  case " $found " in *" $1 "*) return 1 ;; esac
  found="$found $1"
  count=$((count + 1))
}

scan() {
  found=
  count=0
  for pod in $(pods); do
    resolve "$pod.$svc.$ns.svc.$domain"
    for ip in $ips; do add "$ip" && break; done
    [ "$count" -ge "$want" ] && break
  done
  if [ -r "$cfg/rings" ]; then
    while read -r ring; do
      [ -n "$ring" ] || continue
      case $ring in *.*) fqdn=$ring.svc.$domain ;; *) fqdn=$ring.$ns.svc.$domain ;; esac
      got=0
      resolve "$fqdn"
      for ip in $ips; do
        [ "$got" -ge "$want" ] && break
        add "$ip" && got=$((got + 1))
      done
    done < "$cfg/rings"
  fi
}

mkdir -p "\${out%/*}"
start=$(date +%s)
others=$(pods | { c=0; while read -r p; do c=$((c + 1)); [ "$c" -ge 1 ] && break; done; echo "$c"; })
[ -r "$cfg/rings" ] && while read -r ring; do [ -n "$ring" ] && others=1; done < "$cfg/rings"
while :; do
  scan
  [ "$count" -gt 0 ] && break
  [ "$others" -eq 0 ] && break
  [ $(($(date +%s) - start)) -ge "$deadline" ] && break
  sleep 2
done

rm -f "$out.dns"
: > "$out.tmp"
for ip in $found; do echo "$ip" >> "$out.tmp"; done
mv -f "$out.tmp" "$out"
echo "habitat-cmp: seeding from $count peer(s):$found" >&2
exec ${IMAGE_ENTRYPOINT} "$@"
`;
