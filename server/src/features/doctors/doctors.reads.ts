import type { PrismaReader } from '../../platform/database';
import { DOCTOR_SELECT, toDoctor } from './doctors.service';
import type { Doctor } from './doctors.type';

/** What other modules read of doctors (this folder owns the table): a practice's doctors. */

/** The practice's doctors by name (removed ones left out). */
export async function doctorsOfPractice(prisma: PrismaReader, practiceId: string): Promise<Doctor[]> {
  const rows = await prisma.doctor.findMany({
    where: { practiceId, user: { deactivatedAt: null } },
    select: DOCTOR_SELECT,
    orderBy: [{ user: { name: 'asc' } }, { id: 'asc' }],
  });
  return rows.map(toDoctor);
}

/** The practice's doctors as members (removed ones left out): name, email and admin flag, in no particular order. */
export async function doctorMembersOf(
  prisma: PrismaReader,
  practiceId: string,
): Promise<Array<{ id: string; name: string; email: string; admin: boolean }>> {
  const rows = await prisma.doctor.findMany({
    where: { practiceId, user: { deactivatedAt: null } },
    select: { id: true, admin: true, user: { select: { name: true, email: true } } },
  });
  return rows.map((row) => ({ id: row.id, name: row.user.name, email: row.user.email, admin: row.admin }));
}

/** The ids of every doctor the practice has had, removed ones included (their past appointments were with it). */
export async function doctorIdsOfPractice(prisma: PrismaReader, practiceId: string): Promise<string[]> {
  const rows = await prisma.doctor.findMany({ where: { practiceId }, select: { id: true } });
  return rows.map((row) => row.id);
}
