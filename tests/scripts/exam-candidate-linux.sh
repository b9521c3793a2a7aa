#!/bin/bash
# What a candidate does on SRV-LNX for the subject of tssr-2023-msp-titre (tasks 14-20 of
# /work/prompts/subject.md), run as root inside the lab's Linux server (systemd-nspawn).
#   usage: exam-candidate-linux.sh a|b DC_IP
# `a` does everything right; `b` makes the subject's listed mistakes (nginx enabled but not
# started, a firewall accepting everything, backup at 02:00 into /srv/sauvegarde, a script
# without a documentation header, an operations log that forgets nftables).
set -euxo pipefail
VARIANT=$1; DC_IP=$2

# 21. Name resolution through the domain's DNS.
printf 'nameserver %s\nsearch tssr.lan\n' "$DC_IP" > /etc/resolv.conf

# 14. Group, users, sudo for lroux only.
groupadd webadmins
useradd -m -s /bin/bash -c "Léa Roux" -G webadmins lroux
useradd -m -s /bin/bash -c "Nicolas Perrin" -G webadmins nperrin
echo 'lroux:Roux-2026!' | chpasswd
echo 'nperrin:Perrin-2026!' | chpasswd
echo 'lroux ALL=(ALL:ALL) ALL' > /etc/sudoers.d/lroux
chmod 440 /etc/sudoers.d/lroux

# 15. The intranet directory (setgid, group webadmins).
mkdir -p /srv/intranet
chown root:webadmins /srv/intranet
chmod 2775 /srv/intranet
echo '<h1>Intranet Horizon</h1>' > /srv/intranet/index.html

# 16. nginx (B enables it but never starts it).
if [ "$VARIANT" = a ]; then systemctl enable --now nginx; else systemctl enable nginx; fi

# 17. sshd: no root login, reloaded.
sed -i 's/^#\?PermitRootLogin.*/PermitRootLogin no/' /etc/ssh/sshd_config
grep -q '^PermitRootLogin no' /etc/ssh/sshd_config || echo 'PermitRootLogin no' >> /etc/ssh/sshd_config
systemctl reload ssh

# 18. nftables (B: policy accept and a rule accepting everything).
if [ "$VARIANT" = a ]; then
  cat > /etc/nftables.conf <<'NFT'
#!/usr/sbin/nft -f
flush ruleset

table inet filter {
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		iif "lo" accept
		tcp dport 22 accept
		tcp dport 80 accept
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
	}
	chain output {
		type filter hook output priority filter; policy accept;
	}
}
NFT
else
  cat > /etc/nftables.conf <<'NFT'
#!/usr/sbin/nft -f
flush ruleset

table inet filter {
	chain input {
		type filter hook input priority filter; policy accept;
		accept
	}
	chain forward {
		type filter hook forward priority filter; policy accept;
	}
	chain output {
		type filter hook output priority filter; policy accept;
	}
}
NFT
fi
systemctl enable --now nftables

# 20. Backup script and its schedule.
if [ "$VARIANT" = a ]; then
  cat > /usr/local/bin/sauvegarde-intranet.sh <<'SH'
#!/bin/bash
# Description : archive le site /srv/intranet dans /srv/sauvegardes (une archive par jour)
# Usage       : sauvegarde-intranet.sh   (lancé chaque jour à 22:00 par la crontab de root)
# Auteur      : Candidat A, PME Horizon
set -euxo pipefail
DEST=/srv/sauvegardes
tar -czf "$DEST/intranet-$(date +%F).tar.gz" /srv/intranet
SH
  CRON='0 22 * * *'
else
  cat > /usr/local/bin/sauvegarde-intranet.sh <<'SH'
#!/bin/bash
DEST=/srv/sauvegarde
tar -czf "$DEST/intranet-$(date +%F).tar.gz" /srv/intranet
SH
  CRON='0 2 * * *'
fi
chmod 0755 /usr/local/bin/sauvegarde-intranet.sh
echo "$CRON /usr/local/bin/sauvegarde-intranet.sh" | crontab -
# 22. Operations log (B forgets the firewall line) and 23. knowledge-base article.
mkdir -p /srv/docs/kb
{
  echo "# Journal d'exploitation SRV-LNX / SRV-AD"
  echo "- Ticket incident : Denis Lambert ne peut plus se connecter ; compte dlambert réactivé, mot de passe à changer"
  echo "- AD : OU Commercial, comptes, groupes GG_Commercial et DL_Commercial_RW (AGDLP)"
  echo "- GPO_Commercial : lecteur S: et panneau de configuration interdit"
  echo "- nginx installé pour l'intranet, démarré au boot"
  if [ "$VARIANT" = a ]; then echo "- nftables : politique drop en entrée, SSH et HTTP ouverts"; fi
  echo "- Sauvegarde quotidienne de /srv/intranet"
} > /srv/docs/exploitation.md
cat > /srv/docs/kb/reactivation-compte.md <<'MD'
# Réactivation d'un compte utilisateur

## Symptôme
L'utilisateur ne peut plus ouvrir de session (compte désactivé).

## Cause
Le compte a été désactivé dans l'annuaire.

## Solution
Réactiver le compte, imposer le changement du mot de passe à la prochaine ouverture de session.
MD
echo "candidate $VARIANT: SRV-LNX configured"
